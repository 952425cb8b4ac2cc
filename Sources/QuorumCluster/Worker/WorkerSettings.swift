/// Timing, limits and keys of a worker's connection to the coordinator.
public struct WorkerSettings: Sendable {
    /// Seconds between heartbeats to the coordinator.
    public var heartbeatInterval: Double
    /// Heartbeat intervals of coordinator silence after which the worker reconnects.
    public var liveness: Int
    /// First wait before reconnecting, in seconds; doubled after each failed try.
    public var reconnectInitial: Double
    /// Longest wait before reconnecting, in seconds.
    public var reconnectMax: Double
    /// Longest wait for messages before checking heartbeats and the outbox, in seconds.
    public var pollInterval: Double
    /// Size limits for received messages.
    public var limits: ProtocolLimits
    /// The coordinator's CURVE public key, when it runs encrypted.
    public var curveServerKey: String?
    /// This worker's CURVE key pair (required with `curveServerKey`).
    public var curveKeys: CurveKeyPair?
    /// Seconds of failing CURVE handshakes (and no word from the coordinator) after which the worker
    /// gives up with `WorkerError.handshakeFailed` instead of retrying forever.
    public var handshakeTimeout: Double
    /// Where data sets shipped by the coordinator are kept; nil: the worker never asks for data.
    public var dataCache: DatasetCache?

    /// Settings with the protocol's defaults: 1 s heartbeats, liveness 3, back-off 1 s doubling to 32 s,
    /// a 10 s handshake limit and no data shipping.
    public init(
        heartbeatInterval: Double = 1, liveness: Int = 3, reconnectInitial: Double = 1, reconnectMax: Double = 32,
        pollInterval: Double = 0.02, limits: ProtocolLimits = ProtocolLimits(),
        curveServerKey: String? = nil, curveKeys: CurveKeyPair? = nil, handshakeTimeout: Double = 10,
        dataCache: DatasetCache? = nil
    ) {
        self.heartbeatInterval = heartbeatInterval
        self.liveness = liveness
        self.reconnectInitial = reconnectInitial
        self.reconnectMax = reconnectMax
        self.pollInterval = pollInterval
        self.limits = limits
        self.curveServerKey = curveServerKey
        self.curveKeys = curveKeys
        self.handshakeTimeout = handshakeTimeout
        self.dataCache = dataCache
    }
}
