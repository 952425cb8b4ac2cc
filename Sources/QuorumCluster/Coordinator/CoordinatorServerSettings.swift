/// How the coordinator's socket loop runs, and the transport limits that keep a peer from exhausting it.
public struct CoordinatorServerSettings: Sendable {
    /// The longest wait for messages before the state machine's clock is advanced, in seconds.
    public var pollInterval: Double
    /// Size limits for received messages; `maxMessageBytes` is also libzmq's `ZMQ_MAXMSGSIZE`, so a peer
    /// announcing a larger frame is disconnected before anything is buffered for it.
    public var limits: ProtocolLimits
    /// With a CURVE secret key the socket is a CURVE server: traffic is encrypted and clients must know
    /// the matching public key.
    public var curveSecretKey: String?
    /// How long unsent messages (the final DISCONNECTs) may delay closing, in seconds.
    public var linger: Double
    /// With a CURVE secret key: the workers' public keys (Z85) allowed in; nil lets any key in.
    public var authorizedKeys: [String]?
    /// The data sets this coordinator ships to workers that ask (DATA_REQUEST).
    public var datasets: [DatasetBundle]
    /// The chunk size data sets are shipped in.
    public var chunkBytes: Int
    /// Where workers may fetch the data sets' files instead (DATA_MANIFEST's `url`): an HTTP(S) URL or a path
    /// on a file system the workers share, holding each file under its manifest name. Chunks stay available.
    public var dataURL: String?
    /// After the run ends, how long the coordinator still answers late workers with DISCONNECT, in seconds:
    /// a worker whose READY crossed the last RESULT learns the run is over instead of retrying forever.
    public var closingGrace: Double = 0.5
    /// Seconds a new connection has to finish its handshake (`ZMQ_HANDSHAKE_IVL`); half-open and
    /// unauthenticated connections hold memory no longer than this.
    public var handshakeTimeout: Double = 10
    /// ZMTP heartbeats (`ZMQ_HEARTBEAT_IVL`): a PING to every connection this often, in seconds.
    public var transportHeartbeat: Double = 1
    /// Seconds without any traffic after a PING before libzmq drops a connection (`ZMQ_HEARTBEAT_TIMEOUT`,
    /// and `ZMQ_HEARTBEAT_TTL` for the peer's side).
    public var transportTimeout: Double = 10
    /// Messages queued per peer before sends to it wait (`ZMQ_SNDHWM`): a peer that does not read cannot
    /// make the coordinator hold more than this many data chunks for it.
    public var sendHighWaterMark: Int = 16
    /// Messages queued from one peer before libzmq stops reading its connection (`ZMQ_RCVHWM`).
    public var receiveHighWaterMark: Int = 32
    /// DATA_REQUESTs for chunks held per peer while its queue is full; more are dropped (the worker asks
    /// again after its chunk timeout).
    public var maxPendingDataRequests: Int = 64

    /// Settings with a 20 ms poll, default limits, no encryption, a 1 s linger, no data sets and 1 MiB chunks.
    public init(
        pollInterval: Double = 0.02, limits: ProtocolLimits = ProtocolLimits(), curveSecretKey: String? = nil,
        linger: Double = 1, authorizedKeys: [String]? = nil, datasets: [DatasetBundle] = [],
        chunkBytes: Int = 1 << 20, dataURL: String? = nil
    ) {
        self.dataURL = dataURL
        self.pollInterval = pollInterval
        self.limits = limits
        self.curveSecretKey = curveSecretKey
        self.linger = linger
        self.authorizedKeys = authorizedKeys
        self.datasets = datasets
        self.chunkBytes = chunkBytes
    }
}
