import Foundation
import QuorumCluster
import QuorumCore

/// What a worker agrees to train, checked before anything is allocated for a job: a coordinator's JOB is
/// peer input, and `dense(1000000000)` or `num_classes: 1000000000` must become a FAILED, not an abort.
///
/// The spec's own limits (`ModelLimits`: layer sizes, parameters, classes) apply first; on top, a worker
/// bounds what training needs at the job's batch size, which no spec limit can see.
public struct JobBudget: Sendable, Equatable {
    /// The most classes a model may score: what a RESULT can carry.
    public var maxClasses: Int
    /// The most activations one batch may produce across all layers (batch size × per-image activations).
    public var maxActivations: Int
    /// The largest `init_from` file, in bytes: no bigger model could travel back in a RESULT anyway.
    public var maxModelFileBytes: Int

    /// 65,536 classes, 2^28 activations per batch (1 GiB of float32) and 256 MiB model files.
    public init(
        maxClasses: Int = ModelLimits.classes, maxActivations: Int = 1 << 28,
        maxModelFileBytes: Int = 256 << 20
    ) {
        self.maxClasses = maxClasses
        self.maxActivations = maxActivations
        self.maxModelFileBytes = maxModelFileBytes
    }

    /// Throws when `classes` is more than a RESULT can carry.
    public func checkClasses(_ classes: Int) throws {
        guard (1...maxClasses).contains(classes) else {
            throw PermanentJobError("num_classes is \(classes); this worker trains 1...\(maxClasses) classes")
        }
    }

    /// Throws unless `model` (a preset or a layer list) is a valid spec within `ModelLimits` at `inputShape`,
    /// and one batch of `batchSize` images fits `maxActivations`.
    public func checkModel(_ model: String, inputShape: [Int], classes: Int, batchSize: Int) throws {
        let spec: ModelSpec
        let shapes: [[Int]]
        do {
            spec = try ModelSpec(parsing: model, inputShape: inputShape, classes: classes)
            shapes = try spec.outputShapesPerLayer()
        } catch { throw PermanentJobError("model: \(error)") }
        // Each shape is within ModelLimits.activationElements and there are at most ModelLimits.layers of them.
        let perImage = ModelLimits.sum(([inputShape] + shapes).map { ModelLimits.product($0) ?? Int.max })
        guard let perImage, let activations = ModelLimits.product([perImage, batchSize]),
            activations <= maxActivations
        else {
            throw PermanentJobError(
                "model \(spec.layers) at batch size \(batchSize) needs more than \(maxActivations) "
                    + "activations per batch, this worker's limit")
        }
    }

    /// Throws unless `path` is a regular file no larger than `maxModelFileBytes`. The message says no more
    /// than that: the coordinator chose the path, and must learn nothing else about this machine's files.
    public func checkModelFile(_ path: String) throws {
        guard isSmallRegularFile(path) else { throw unusable(path) }
    }

    /// Throws unless a distillation teacher file is a regular file no larger than `maxModelFileBytes`, saying
    /// no more than that (as for `init_from`).
    public func checkTeacherFile(_ path: String) throws {
        guard isSmallRegularFile(path) else { throw unusableTeacher(path) }
    }

    private func isSmallRegularFile(_ path: String) -> Bool {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        let isFile = (attributes?[.type] as? FileAttributeType) == .typeRegular
        let size = (attributes?[.size] as? NSNumber)?.intValue ?? Int.max
        return isFile && size <= maxModelFileBytes
    }

    /// The one error every problem with an `init_from` file gives on the wire.
    func unusable(_ path: String) -> PermanentJobError {
        PermanentJobError(
            "init_from \"\(PeerText.escaped(path, limit: 200))\" is not a usable Quorum model file on this "
                + "worker (a regular file of at most \(maxModelFileBytes >> 20) MiB holding a model; "
                + "the worker's log has details)")
    }

    /// The one error every problem with a distillation teacher file gives on the wire.
    func unusableTeacher(_ path: String) -> PermanentJobError {
        PermanentJobError(
            "distillation.teacher \"\(PeerText.escaped(path, limit: 200))\" is not a usable teacher file on "
                + "this worker (a regular file of at most \(maxModelFileBytes >> 20) MiB holding the teacher's "
                + "probabilities of these training images, or one of its model files; the worker's log has "
                + "details)")
    }
}
