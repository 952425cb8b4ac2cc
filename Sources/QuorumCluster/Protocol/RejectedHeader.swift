/// REJECTED header: the coordinator refused a RESULT. The job goes back to the queue (preferably for another
/// worker); the sender is idle again, or, with `refused`, no longer served in this run.
public struct RejectedHeader: ProtocolHeader {
    /// REJECTED.
    public static let command = Command.rejected
    /// The job whose RESULT was refused.
    public var jobId: String
    /// Which check failed, for the worker's log (at most 64 KiB).
    public var reason: String
    /// Results from this worker refused so far in this run, this one included.
    public var badResults: Int
    /// True when that count reached the coordinator's limit: the worker is refused for the rest of the run.
    public var refused: Bool

    /// A REJECTED header from its fields.
    public init(jobId: String, reason: String, badResults: Int, refused: Bool) {
        self.jobId = jobId
        self.reason = reason
        self.badResults = badResults
        self.refused = refused
    }

    enum CodingKeys: String, CodingKey { case jobId = "job_id", reason, badResults = "bad_results", refused }

    /// Checks the id, the reason's length and the count.
    public func validate(_ check: FieldValidator) throws {
        try check.text(jobId, "job_id")
        try check.text(reason, "reason", maxBytes: check.limits.maxErrorBytes)
        try check.integer(badResults, "bad_results", 1...Int(Int32.max))
    }
}
