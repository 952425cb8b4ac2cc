/// Running totals of a coordinator's state machine since it started: what its metrics export and what the
/// scaling measurements read (docs/scaling.md).
public struct CoordinatorCounters: Sendable, Equatable {
    /// Workers that registered (READY from a new connection).
    public var workersJoined = 0
    /// Workers that left the table: expired, disconnected or refused.
    public var workersLost = 0
    /// Workers expired after `expiry` seconds of silence.
    public var expiredWorkers = 0
    /// Times a registered worker stayed silent for two heartbeat intervals (it missed at least one); counted
    /// once per silence.
    public var missedHeartbeats = 0
    /// Jobs put back in the queue (a holder expired, left, failed or sent a rejected result).
    public var requeuedJobs = 0
    /// Jobs completed in this session.
    public var completedJobs = 0
    /// Jobs given up in this session.
    public var failedJobs = 0
    /// The longest gap, in seconds, between two messages from one registered worker: how close a live worker
    /// came to being expired (a worker that dies is not in it; it is expired instead).
    public var longestSilence = 0.0

    /// Counters at zero.
    public init() {}
}
