import CZeroMQ

/// The libzmq options a worker's DEALER gets, so a broken or hostile coordinator cannot hold the worker's
/// memory or connection hostage: no inbound frame larger than the largest legal one, handshakes that must
/// finish in time, and ZMTP heartbeats that drop a dead connection even while no message is due.
struct WorkerSocketOptions: Equatable {
    /// The largest inbound frame: a JOB header or a DATA_CHUNK at the largest chunk size, plus a margin
    /// for the other frames and CURVE's box overhead.
    var maxFrameBytes: Int
    /// Milliseconds a ZMTP (or CURVE) handshake may take before libzmq drops the connection.
    var handshakeMilliseconds: Int32
    /// Milliseconds between ZMTP PINGs.
    var heartbeatMilliseconds: Int32
    /// Milliseconds without any traffic after a PING before the connection is dropped (and the peer's TTL).
    var heartbeatTimeoutMilliseconds: Int32

    /// The margin above the largest legal frame.
    static let margin = 64 << 10

    /// The options for `settings`.
    init(_ settings: WorkerSettings) {
        maxFrameBytes = max(settings.limits.maxHeaderBytes, settings.limits.maxChunkBytes) + Self.margin
        handshakeMilliseconds = Self.milliseconds(settings.handshakeTimeout)
        heartbeatMilliseconds = Self.milliseconds(settings.heartbeatInterval)
        heartbeatTimeoutMilliseconds = Self.milliseconds(settings.heartbeatInterval * Double(settings.liveness))
    }

    /// Sets every option on `socket` (before it connects).
    func apply(to socket: ZMQSocket) throws {
        try socket.setMaxMessageSize(maxFrameBytes)
        try socket.setHeartbeatInterval(Double(heartbeatMilliseconds) / 1000)
        try socket.setHeartbeatTimeout(Double(heartbeatTimeoutMilliseconds) / 1000)
        // libzmq keeps the TTL in deciseconds in 16 bits: at most 6553.5 s.
        try socket.setHeartbeatTTL(Double(min(heartbeatTimeoutMilliseconds, 6_553_500)) / 1000)
        var value = handshakeMilliseconds
        guard let handle = socket.handle,
            zmq_setsockopt(handle, ZMQ_HANDSHAKE_IVL, &value, MemoryLayout<Int32>.size) == 0
        else {
            throw ZMQError.last("setsockopt ZMQ_HANDSHAKE_IVL=\(value)")
        }
    }

    private static func milliseconds(_ seconds: Double) -> Int32 {
        Int32(min(max(seconds * 1000, 1), Double(Int32.max)))
    }
}
