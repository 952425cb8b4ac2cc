/// JOB header: the coordinator hands one ensemble member to a worker.
public struct JobHeader: ProtocolHeader {
    /// JOB.
    public static let command = Command.job
    /// The job's id, unique within the run.
    public var jobId: String
    /// The ensemble member this job trains (0-based).
    public var memberIndex: Int
    /// 1 for the first try, +1 every time the job is handed out again.
    public var attempt: Int
    /// Threads the worker should use.
    public var threads: Int
    /// The training configuration, a JSON object the cluster does not interpret.
    public var config: JSONValue

    /// A JOB header from its fields.
    public init(jobId: String, memberIndex: Int, attempt: Int, threads: Int, config: JSONValue) {
        self.jobId = jobId
        self.memberIndex = memberIndex
        self.attempt = attempt
        self.threads = threads
        self.config = config
    }

    enum CodingKeys: String, CodingKey {
        case jobId = "job_id", memberIndex = "member_index", attempt, threads, config
    }

    /// Checks the id, counts and that `config` is an object.
    public func validate(_ check: FieldValidator) throws {
        try check.text(jobId, "job_id")
        try check.integer(memberIndex, "member_index", 0...Int.max)
        try check.integer(attempt, "attempt", 1...Int.max)
        try check.integer(threads, "threads", 1...65_536)
        if !config.isObject { throw check.fail("config", "must be a JSON object") }
    }
}
