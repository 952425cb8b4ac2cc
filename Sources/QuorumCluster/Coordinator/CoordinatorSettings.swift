/// Timing and retry rules of a coordinator.
public struct CoordinatorSettings: Sendable, Equatable {
    /// Seconds between heartbeats sent to every worker.
    public var heartbeatInterval: Double
    /// Heartbeat intervals of silence after which a worker counts as dead.
    public var liveness: Int
    /// Failed or rejected attempts of one job after which it is given up (the run goes on without it).
    public var maxAttempts: Int
    /// Rejected results after which a worker is refused for the rest of the run.
    public var maxBadResults: Int
    /// Seconds during which repeated warnings about one peer make a single log line with a count.
    public var logInterval: Double
    /// Lets a busy worker use the threads of idle workers that announce the same machine, once the queue is
    /// empty (HEARTBEAT's `threads`). Only safe when workers naming one machine really share it. Members keep
    /// their bits, since training gives the same weights at any thread count.
    public var shareIdleCores: Bool

    /// Settings with the protocol's defaults: 1 s heartbeats, dead after 3 silent intervals, 3 attempts,
    /// 3 bad results, 10 s log windows, no sharing of idle cores.
    public init(
        heartbeatInterval: Double = 1, liveness: Int = 3, maxAttempts: Int = 3, maxBadResults: Int = 3,
        logInterval: Double = 10, shareIdleCores: Bool = false
    ) {
        self.heartbeatInterval = heartbeatInterval
        self.liveness = liveness
        self.maxAttempts = maxAttempts
        self.maxBadResults = maxBadResults
        self.logInterval = logInterval
        self.shareIdleCores = shareIdleCores
    }

    /// Seconds of silence after which a worker expires.
    public var expiry: Double { heartbeatInterval * Double(liveness) }
}
