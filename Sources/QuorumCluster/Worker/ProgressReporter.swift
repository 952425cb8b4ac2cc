import QuorumData

/// Hands a training loop's progress to the worker's network thread, which sends it as PROGRESS.
/// Thread-safe: call it from the training thread as often as once per batch.
public final class ProgressReporter: @unchecked Sendable {
    /// The job being reported on.
    public let jobId: String
    private let channel: WorkerChannel
    private let validator: FieldValidator

    init(jobId: String, channel: WorkerChannel, limits: ProtocolLimits) {
        self.jobId = jobId
        self.channel = channel
        validator = FieldValidator(command: .progress, limits: limits)
    }

    /// The thread count the coordinator lets this job use now (cores idle workers leave free on this machine);
    /// nil: the job's own `threads`. Read it on the training thread, which is the one to change.
    public var threadHint: Int? { channel.threadHint }

    /// Queues one PROGRESS. Returns false, sending nothing, when a value breaks the protocol's ranges
    /// (e.g. a NaN loss), which the coordinator would reject anyway.
    @discardableResult
    public func report(_ progress: TrainingProgress) -> Bool {
        let header = ProgressHeader(jobId: jobId, progress: progress)
        guard (try? header.validate(validator)) != nil else { return false }
        channel.post(.progress(header))
        return true
    }

    /// Queues one PROGRESS from its fields (see `report(_:)`).
    @discardableResult
    public func report(
        epoch: Int, epochs: Int, batch: Int, batches: Int, loss: Double, accuracy: Double,
        validationLoss: Double? = nil, validationAccuracy: Double? = nil, imagesPerSecond: Double
    ) -> Bool {
        report(
            TrainingProgress(
                epoch: epoch, epochs: epochs, batch: batch, batches: batches, loss: loss,
                accuracy: accuracy, validationLoss: validationLoss,
                validationAccuracy: validationAccuracy, imagesPerSecond: imagesPerSecond))
    }
}
