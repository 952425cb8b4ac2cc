/// Timing and retry rules of a coordinator.
public struct CoordinatorSettings: Sendable, Equatable {
    /// Seconds between heartbeats sent to every worker.
    public var heartbeatInterval: Double
    /// Heartbeat intervals of silence after which a worker counts as dead.
    public var liveness: Int
    /// Distinct failed attempts of one job after which the run fails.
    public var maxAttempts: Int

    /// Settings with the protocol's defaults: 1 s heartbeats, dead after 3 silent intervals, 3 attempts.
    public init(heartbeatInterval: Double = 1, liveness: Int = 3, maxAttempts: Int = 3) {
        self.heartbeatInterval = heartbeatInterval
        self.liveness = liveness
        self.maxAttempts = maxAttempts
    }

    /// Seconds of silence after which a worker expires.
    public var expiry: Double { heartbeatInterval * Double(liveness) }
}
