/// FAILED header: the worker could not finish a job.
public struct FailedHeader: ProtocolHeader {
    /// FAILED.
    public static let command = Command.failed
    /// The job that failed.
    public var jobId: String
    /// What went wrong, for the operator.
    public var error: String
    /// Whether another attempt could succeed (false for e.g. an invalid configuration).
    public var retryable: Bool

    /// A FAILED header from its fields.
    public init(jobId: String, error: String, retryable: Bool) {
        self.jobId = jobId
        self.error = error
        self.retryable = retryable
    }

    enum CodingKeys: String, CodingKey { case jobId = "job_id", error, retryable }

    /// Checks the id and the error text's length.
    public func validate(_ check: FieldValidator) throws {
        try check.text(jobId, "job_id")
        try check.text(error, "error", maxBytes: check.limits.maxErrorBytes, allowEmpty: true)
    }
}
