/// A read-only snapshot of a run: workers, queue and counts.
public struct CoordinatorStatus: Equatable, Sendable {
    /// Registered workers in registration order.
    public var workers: [WorkerStatus]
    /// Job ids waiting for a worker, next first.
    public var queued: [String]
    /// Job ids completed so far (including those resumed as complete), in plan order.
    public var completed: [String]
    /// Jobs in the plan.
    public var total: Int
    /// Messages that failed to decode.
    public var invalidMessages: Int
    /// Well-formed messages dropped as out of place (wrong worker, late duplicate, unknown worker).
    public var droppedMessages: Int
    /// RESULTs that failed a check.
    public var rejectedResults: Int = 0
    /// Jobs given up for this run, with the reason.
    public var failedJobs: [String: String] = [:]
    /// Workers refused for the rest of the run: who (key or routing id) and why.
    public var refusedWorkers: [String: String] = [:]
}
