/// How the coordinator's socket loop runs.
public struct CoordinatorServerSettings: Sendable {
    /// The longest wait for messages before the state machine's clock is advanced, in seconds.
    public var pollInterval: Double
    /// Size limits for received messages.
    public var limits: ProtocolLimits
    /// With a CURVE secret key the socket is a CURVE server: traffic is encrypted and clients must know
    /// the matching public key.
    public var curveSecretKey: String?
    /// How long unsent messages (the final DISCONNECTs) may delay closing, in seconds.
    public var linger: Double

    /// Settings with a 20 ms poll, default limits, no encryption and a 1 s linger.
    public init(pollInterval: Double = 0.02, limits: ProtocolLimits = ProtocolLimits(), curveSecretKey: String? = nil,
                linger: Double = 1) {
        self.pollInterval = pollInterval
        self.limits = limits
        self.curveSecretKey = curveSecretKey
        self.linger = linger
    }
}
