/// RESULT header: a finished member's metrics and the sizes of the two binary frames that follow.
public struct ResultHeader: ProtocolHeader {
    /// RESULT.
    public static let command = Command.result
    /// The finished job.
    public var jobId: String
    /// Final validation loss.
    public var validationLoss: Double
    /// Final validation accuracy, 0...1.
    public var validationAccuracy: Double
    /// Per-epoch history, a JSON array the cluster does not interpret.
    public var history: JSONValue
    /// Test images in the probabilities frame (rows).
    public var testCount: Int
    /// Classes per row of the probabilities frame.
    public var classes: Int
    /// Length of the model file frame in bytes.
    public var modelBytes: Int

    /// A RESULT header from its fields.
    public init(
        jobId: String, validationLoss: Double, validationAccuracy: Double, history: JSONValue,
        testCount: Int, classes: Int, modelBytes: Int
    ) {
        self.jobId = jobId
        self.validationLoss = validationLoss
        self.validationAccuracy = validationAccuracy
        self.history = history
        self.testCount = testCount
        self.classes = classes
        self.modelBytes = modelBytes
    }

    enum CodingKeys: String, CodingKey {
        case jobId = "job_id", validationLoss = "validation_loss", validationAccuracy = "validation_accuracy"
        case history, testCount = "test_count", classes, modelBytes = "model_bytes"
    }

    /// Checks metrics, counts and that `history` is an array.
    public func validate(_ check: FieldValidator) throws {
        try check.text(jobId, "job_id")
        try check.finite(validationLoss, "validation_loss")
        try check.fraction(validationAccuracy, "validation_accuracy")
        if !history.isArray { throw check.fail("history", "must be a JSON array") }
        try check.integer(testCount, "test_count", 0...Int(Int32.max))
        try check.integer(classes, "classes", 1...65_536)
        try check.integer(modelBytes, "model_bytes", 0...Int.max)
    }
}
