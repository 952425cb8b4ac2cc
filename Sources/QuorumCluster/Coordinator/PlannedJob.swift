import Foundation

/// One ensemble member to train, as the run's plan lists it.
public struct PlannedJob: Equatable, Sendable {
    /// Unique id within the run (names the member's files).
    public var jobId: String
    /// The member's index in the ensemble (0-based); jobs are handed out in this order.
    public var memberIndex: Int
    /// Threads the worker should use for it.
    public var threads: Int
    /// The training configuration: UTF-8 JSON text of an object, passed to the worker untouched.
    public var config: Data

    /// A planned job.
    public init(jobId: String, memberIndex: Int, threads: Int, config: Data) {
        self.jobId = jobId
        self.memberIndex = memberIndex
        self.threads = threads
        self.config = config
    }
}
