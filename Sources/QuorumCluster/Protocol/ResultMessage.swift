import Foundation

/// A whole RESULT: header, test-set probabilities (row-major, `testCount` × `classes`) and the model file.
public struct ResultMessage: Equatable, Sendable {
    /// The JSON header.
    public var header: ResultHeader
    /// Test-set class probabilities, row per image.
    public var probabilities: [Float]
    /// The model file's bytes.
    public var model: Data
    /// The earlier snapshots' frames, in the header's `snapshots` order (empty without snapshots).
    public var snapshots: [SnapshotFrames]

    /// A RESULT from its parts; the header's sizes should match them (the decoder checks they do).
    public init(header: ResultHeader, probabilities: [Float], model: Data, snapshots: [SnapshotFrames] = []) {
        self.header = header
        self.probabilities = probabilities
        self.model = model
        self.snapshots = snapshots
    }

    /// The RESULT one earlier snapshot would be on its own: its cycle's figures, probabilities and model, with
    /// the job's id, history, `test_count` and `classes`. Lets a receiver check each snapshot as a member.
    public func snapshotResult(_ index: Int) -> ResultMessage {
        let entry = header.snapshots?[index]
        var single = header
        single.snapshots = nil
        single.validationLoss = entry?.validationLoss ?? 0
        single.validationAccuracy = entry?.validationAccuracy ?? 0
        single.modelBytes = snapshots[index].model.count
        return ResultMessage(
            header: single, probabilities: snapshots[index].probabilities, model: snapshots[index].model)
    }
}

/// One earlier snapshot's binary frames in a RESULT: test-set probabilities and the model file.
public struct SnapshotFrames: Equatable, Sendable {
    /// Test-set class probabilities, row per image.
    public var probabilities: [Float]
    /// The model file's bytes.
    public var model: Data

    /// Frames from their parts.
    public init(probabilities: [Float], model: Data) {
        self.probabilities = probabilities
        self.model = model
    }
}
