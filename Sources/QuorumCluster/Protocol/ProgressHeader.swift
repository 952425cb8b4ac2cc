/// PROGRESS header: where a worker is in its job, for the live display.
public struct ProgressHeader: ProtocolHeader {
    /// PROGRESS.
    public static let command = Command.progress
    /// The job being trained.
    public var jobId: String
    /// The current epoch, 1-based.
    public var epoch: Int
    /// Epochs in the job.
    public var epochs: Int
    /// Batches done in the current epoch.
    public var batch: Int
    /// Batches per epoch.
    public var batches: Int
    /// Mean training loss so far in this epoch.
    public var loss: Double
    /// Training accuracy so far in this epoch, 0...1.
    public var accuracy: Double
    /// Validation loss, only at the end of an epoch.
    public var validationLoss: Double?
    /// Validation accuracy, only at the end of an epoch.
    public var validationAccuracy: Double?
    /// Training throughput.
    public var imagesPerSecond: Double

    /// A PROGRESS header from its fields.
    public init(jobId: String, epoch: Int, epochs: Int, batch: Int, batches: Int, loss: Double, accuracy: Double,
                validationLoss: Double? = nil, validationAccuracy: Double? = nil, imagesPerSecond: Double) {
        self.jobId = jobId
        self.epoch = epoch
        self.epochs = epochs
        self.batch = batch
        self.batches = batches
        self.loss = loss
        self.accuracy = accuracy
        self.validationLoss = validationLoss
        self.validationAccuracy = validationAccuracy
        self.imagesPerSecond = imagesPerSecond
    }

    enum CodingKeys: String, CodingKey {
        case jobId = "job_id", epoch, epochs, batch, batches, loss, accuracy
        case validationLoss = "validation_loss", validationAccuracy = "validation_accuracy"
        case imagesPerSecond = "images_per_second"
    }

    /// Checks 1 ≤ epoch ≤ epochs, 0 ≤ batch ≤ batches, finite losses, accuracies in 0...1.
    public func validate(_ check: FieldValidator) throws {
        try check.text(jobId, "job_id")
        try check.integer(epochs, "epochs", 1...Int.max)
        try check.integer(epoch, "epoch", 1...epochs)
        try check.integer(batches, "batches", 1...Int.max)
        try check.integer(batch, "batch", 0...batches)
        try check.finite(loss, "loss")
        try check.fraction(accuracy, "accuracy")
        if (validationLoss == nil) != (validationAccuracy == nil) {
            throw check.fail(validationLoss == nil ? "validation_loss" : "validation_accuracy",
                             "must be present together with its companion validation field")
        }
        if let validationLoss { try check.finite(validationLoss, "validation_loss") }
        if let validationAccuracy { try check.fraction(validationAccuracy, "validation_accuracy") }
        try check.finite(imagesPerSecond, "images_per_second", minimum: 0)
    }
}
