import QuorumData

/// PROGRESS header: where a worker is in its job, for the live display. It is the job id beside a
/// `TrainingProgress`, whose fields sit at the header's top level on the wire (docs/protocol.md); the
/// record's fields read through the header (`header.epoch`).
@dynamicMemberLookup
public struct ProgressHeader: ProtocolHeader {
    /// PROGRESS.
    public static let command = Command.progress
    /// The job being trained.
    public var jobId: String
    /// Where the job is.
    public var progress: TrainingProgress

    /// A PROGRESS header for `jobId`.
    public init(jobId: String, progress: TrainingProgress) {
        self.jobId = jobId
        self.progress = progress
    }

    /// A PROGRESS header from its fields.
    public init(
        jobId: String, epoch: Int, epochs: Int, batch: Int, batches: Int, loss: Double, accuracy: Double,
        validationLoss: Double? = nil, validationAccuracy: Double? = nil, imagesPerSecond: Double
    ) {
        self.init(
            jobId: jobId,
            progress: TrainingProgress(
                epoch: epoch, epochs: epochs, batch: batch, batches: batches, loss: loss, accuracy: accuracy,
                validationLoss: validationLoss, validationAccuracy: validationAccuracy, imagesPerSecond: imagesPerSecond
            ))
    }

    /// A field of the progress record.
    public subscript<T>(dynamicMember field: KeyPath<TrainingProgress, T>) -> T { progress[keyPath: field] }

    enum CodingKeys: String, CodingKey { case jobId = "job_id" }

    /// Decodes `job_id` and the progress record's fields from the same object.
    public init(from decoder: Decoder) throws {
        jobId = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .jobId)
        progress = try TrainingProgress(from: decoder)
    }

    /// Encodes `job_id` and the progress record's fields into one object.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(jobId, forKey: .jobId)
        try progress.encode(to: encoder)
    }

    /// Checks 1 ≤ epoch ≤ epochs, 0 ≤ batch ≤ batches, finite losses, accuracies in 0...1.
    public func validate(_ check: FieldValidator) throws {
        let p = progress
        try check.text(jobId, "job_id")
        try check.integer(p.epochs, "epochs", 1...Int.max)
        try check.integer(p.epoch, "epoch", 1...p.epochs)
        try check.integer(p.batches, "batches", 1...Int.max)
        try check.integer(p.batch, "batch", 0...p.batches)
        try check.finite(p.loss, "loss")
        try check.fraction(p.accuracy, "accuracy")
        if (p.validationLoss == nil) != (p.validationAccuracy == nil) {
            throw check.fail(
                p.validationLoss == nil ? "validation_loss" : "validation_accuracy",
                "must be present together with its companion validation field")
        }
        if let validationLoss = p.validationLoss { try check.finite(validationLoss, "validation_loss") }
        if let validationAccuracy = p.validationAccuracy {
            try check.fraction(validationAccuracy, "validation_accuracy")
        }
        try check.finite(p.imagesPerSecond, "images_per_second", minimum: 0)
    }
}
