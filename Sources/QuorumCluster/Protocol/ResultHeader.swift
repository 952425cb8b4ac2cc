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
    /// A snapshot job's earlier snapshots (cycles 1..<K, in order), each followed by its own probabilities
    /// and model frames; nil (absent on the wire) for a job that yields one member.
    public var snapshots: [ResultSnapshot]?

    /// A RESULT header from its fields.
    public init(
        jobId: String, validationLoss: Double, validationAccuracy: Double, history: JSONValue,
        testCount: Int, classes: Int, modelBytes: Int, snapshots: [ResultSnapshot]? = nil
    ) {
        self.snapshots = snapshots
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
        case history, testCount = "test_count", classes, modelBytes = "model_bytes", snapshots
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
        guard let snapshots else { return }
        guard (1...Command.maxResultSnapshots).contains(snapshots.count) else {
            throw check.fail("snapshots", "must list 1...\(Command.maxResultSnapshots) snapshots when present")
        }
        for (i, snapshot) in snapshots.enumerated() {
            let field = "snapshots[\(i)]"
            guard snapshot.cycle == i + 1 else { throw check.fail(field + ".cycle", "must be \(i + 1)") }
            try check.finite(snapshot.validationLoss, field + ".validation_loss")
            try check.fraction(snapshot.validationAccuracy, field + ".validation_accuracy")
            try check.integer(snapshot.modelBytes, field + ".model_bytes", 0...Int.max)
        }
    }
}

/// One earlier snapshot in a RESULT: its cycle, validation figures and model frame length. Its test
/// probabilities have the RESULT's `test_count` × `classes` shape.
public struct ResultSnapshot: Codable, Equatable, Sendable {
    /// The cycle, from 1.
    public var cycle: Int
    /// Validation loss at the end of the cycle (0 without a validation split).
    public var validationLoss: Double
    /// Validation accuracy at the end of the cycle, 0...1 (0 without a validation split).
    public var validationAccuracy: Double
    /// Length of the snapshot's model file frame in bytes.
    public var modelBytes: Int

    /// A snapshot entry from its fields.
    public init(cycle: Int, validationLoss: Double, validationAccuracy: Double, modelBytes: Int) {
        self.cycle = cycle
        self.validationLoss = validationLoss
        self.validationAccuracy = validationAccuracy
        self.modelBytes = modelBytes
    }

    enum CodingKeys: String, CodingKey {
        case cycle, validationLoss = "validation_loss", validationAccuracy = "validation_accuracy"
        case modelBytes = "model_bytes"
    }
}
