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
}
