import Foundation

/// What a `JobRunner` returns for a finished job; the worker sends it as RESULT.
public struct JobOutput: Sendable {
    /// Final validation loss.
    public var validationLoss: Double
    /// Final validation accuracy, 0...1.
    public var validationAccuracy: Double
    /// Per-epoch history as UTF-8 JSON text of an array.
    public var history: Data
    /// Test images (rows of `probabilities`).
    public var testCount: Int
    /// Classes (columns of `probabilities`).
    public var classes: Int
    /// Test-set class probabilities, row-major, `testCount` × `classes`.
    public var probabilities: [Float]
    /// The model file's bytes.
    public var model: Data
    /// A snapshot job's earlier snapshots, cycles 1..<K in order (this output is cycle K); empty otherwise.
    public var snapshots: [SnapshotOutput] = []

    /// An output from its parts.
    public init(
        validationLoss: Double, validationAccuracy: Double, history: Data, testCount: Int, classes: Int,
        probabilities: [Float], model: Data, snapshots: [SnapshotOutput] = []
    ) {
        self.snapshots = snapshots
        self.validationLoss = validationLoss
        self.validationAccuracy = validationAccuracy
        self.history = history
        self.testCount = testCount
        self.classes = classes
        self.probabilities = probabilities
        self.model = model
    }
}

/// One earlier snapshot of a snapshot job: a member of its own, sent in the same RESULT.
public struct SnapshotOutput: Sendable {
    /// Validation loss and accuracy at the end of the cycle (0 without a validation split).
    public var validationLoss: Double
    public var validationAccuracy: Double
    /// Test-set class probabilities, row-major, as the job's `testCount` × `classes`.
    public var probabilities: [Float]
    /// The model file's bytes.
    public var model: Data

    /// A snapshot from its parts.
    public init(validationLoss: Double, validationAccuracy: Double, probabilities: [Float], model: Data) {
        self.validationLoss = validationLoss
        self.validationAccuracy = validationAccuracy
        self.probabilities = probabilities
        self.model = model
    }
}
