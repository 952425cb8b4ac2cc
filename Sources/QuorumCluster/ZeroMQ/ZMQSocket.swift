import Foundation
import CZeroMQ

/// One ZeroMQ socket. Not thread-safe: exactly one thread may use a socket at a time.
///
/// Messages are multipart: `send(frames:)` and `receive()` move whole messages as arrays of frames,
/// copying through libzmq's own buffers, so no Swift memory is ever lent to libzmq.
public final class ZMQSocket {
    /// The raw `void *` socket; nil once closed.
    private(set) var handle: UnsafeMutableRawPointer?
    /// Kept so the context outlives its sockets.
    private let context: ZMQContext
    /// The pattern this socket was created with.
    public let type: ZMQSocketType

    init(context: ZMQContext, type: ZMQSocketType) throws {
        guard let h = zmq_socket(context.handle, type.raw) else { throw ZMQError.last("zmq_socket") }
        handle = h
        self.context = context
        self.type = type
    }

    deinit { close() }

    /// Whether `close()` has run.
    public var isClosed: Bool { handle == nil }

    /// Closes the socket; pending outgoing messages are kept for at most the linger period. Idempotent.
    public func close() {
        if let h = handle {
            zmq_close(h)
            handle = nil
        }
    }

    private func open(_ operation: String) throws -> UnsafeMutableRawPointer {
        guard let h = handle else { throw ZMQError(operation: "\(operation) on a closed socket", code: ENOTSOCK) }
        return h
    }

    /// Binds to an endpoint such as `tcp://127.0.0.1:0`, `tcp://*:5555` or `ipc:///tmp/x.sock`.
    public func bind(_ endpoint: String) throws {
        guard zmq_bind(try open("bind"), endpoint) == 0 else { throw ZMQError.last("bind \(endpoint)") }
    }

    /// Connects to an endpoint; libzmq completes the connection in the background.
    public func connect(_ endpoint: String) throws {
        guard zmq_connect(try open("connect"), endpoint) == 0 else { throw ZMQError.last("connect \(endpoint)") }
    }

    /// The endpoint last bound or connected, with the port the system chose for `tcp://...:0`.
    public func lastEndpoint() throws -> String {
        var buffer = [CChar](repeating: 0, count: 1024)
        var size = buffer.count
        guard zmq_getsockopt(try open("getsockopt"), ZMQ_LAST_ENDPOINT, &buffer, &size) == 0 else {
            throw ZMQError.last("getsockopt ZMQ_LAST_ENDPOINT")
        }
        return String(cString: buffer)
    }

    /// Sends one multipart message. Returns false when `dontWait` is set and the message could not be
    /// queued right now (EAGAIN); throws for every other failure, e.g. EHOSTUNREACH on a ROUTER with
    /// `ZMQ_ROUTER_MANDATORY` when the peer is gone.
    @discardableResult
    public func send(frames: [Data], dontWait: Bool = false) throws -> Bool {
        let h = try open("send")
        precondition(!frames.isEmpty, "a ZeroMQ message has at least one frame")
        for (i, frame) in frames.enumerated() {
            var flags: Int32 = dontWait ? ZMQ_DONTWAIT : 0
            if i < frames.count - 1 { flags |= ZMQ_SNDMORE }
            while true {
                let rc = frame.withUnsafeBytes { zmq_send(h, $0.baseAddress, $0.count, flags) }
                if rc >= 0 { break }
                let code = zmq_errno()
                if code == EINTR { continue }
                // Only the first frame can be refused for lack of room: later ones join an accepted message.
                if code == EAGAIN && i == 0 { return false }
                throw ZMQError(operation: "send frame \(i) of \(frames.count)", code: code)
            }
        }
        return true
    }

    /// Receives one multipart message, waiting up to the receive timeout (or not at all with `dontWait`).
    /// Returns nil when nothing arrived in time or a signal interrupted the wait.
    public func receive(dontWait: Bool = false) throws -> [Data]? {
        try receiveWithPeer(dontWait: dontWait)?.frames
    }

    /// Like `receive`, plus what libzmq knows of the sender's connection: the user id its ZAP handler gave
    /// (the CURVE key) and its IP address (TCP only).
    public func receiveWithPeer(dontWait: Bool = false) throws -> (frames: [Data], userId: String?, address: String?)? {
        let h = try open("receive")
        var frames: [Data] = []
        var userId: String?, address: String?
        var msg = zmq_msg_t()
        zmq_msg_init(&msg)
        defer { zmq_msg_close(&msg) }
        while true {
            let flags: Int32 = frames.isEmpty && dontWait ? ZMQ_DONTWAIT : 0
            let rc = zmq_msg_recv(&msg, h, flags)
            if rc < 0 {
                let code = zmq_errno()
                if frames.isEmpty && (code == EAGAIN || code == EINTR) { return nil }
                if code == EINTR { continue }
                throw ZMQError(operation: "receive frame \(frames.count)", code: code)
            }
            if frames.isEmpty {
                userId = Self.property(&msg, "User-Id")
                address = Self.property(&msg, "Peer-Address")
            }
            let size = zmq_msg_size(&msg)
            frames.append(size == 0 ? Data() : Data(bytes: zmq_msg_data(&msg), count: size))
            if zmq_msg_more(&msg) == 0 { return (frames, userId, address) }
        }
    }

    private static func property(_ msg: inout zmq_msg_t, _ name: String) -> String? {
        guard let value = zmq_msg_gets(&msg, name) else { return nil }
        let text = String(cString: value)
        return text.isEmpty ? nil : text
    }

    // MARK: options

    private func set(_ option: Int32, _ name: String, int value: Int32) throws {
        var v = value
        guard zmq_setsockopt(try open("setsockopt"), option, &v, MemoryLayout<Int32>.size) == 0 else {
            throw ZMQError.last("setsockopt \(name)=\(value)")
        }
    }

    private func set(_ option: Int32, _ name: String, bytes: Data) throws {
        let h = try open("setsockopt")
        let rc = bytes.withUnsafeBytes { zmq_setsockopt(h, option, $0.baseAddress, $0.count) }
        guard rc == 0 else { throw ZMQError.last("setsockopt \(name)") }
    }

    /// How long (seconds) `close()` keeps unsent messages; 0 drops them at once.
    public func setLinger(_ seconds: Double) throws {
        try set(ZMQ_LINGER, "ZMQ_LINGER", int: seconds < 0 ? -1 : Int32(seconds * 1000))
    }

    /// The largest inbound frame accepted; a peer sending more is disconnected by libzmq.
    public func setMaxMessageSize(_ bytes: Int) throws {
        var v = Int64(bytes)
        guard zmq_setsockopt(try open("setsockopt"), ZMQ_MAXMSGSIZE, &v, MemoryLayout<Int64>.size) == 0 else {
            throw ZMQError.last("setsockopt ZMQ_MAXMSGSIZE=\(bytes)")
        }
    }

    /// The most messages queued for one peer before sends to it fail with EAGAIN (a ROUTER with
    /// `ZMQ_ROUTER_MANDATORY`) or block.
    public func setSendHighWaterMark(_ messages: Int) throws {
        try set(ZMQ_SNDHWM, "ZMQ_SNDHWM", int: Int32(clamping: messages))
    }

    /// The most messages queued from one peer before libzmq stops reading its connection.
    public func setReceiveHighWaterMark(_ messages: Int) throws {
        try set(ZMQ_RCVHWM, "ZMQ_RCVHWM", int: Int32(clamping: messages))
    }

    /// How long (seconds) a new connection may take to finish its ZMTP (and CURVE) handshake before it is
    /// closed; 0 waits forever.
    public func setHandshakeInterval(_ seconds: Double) throws {
        try set(ZMQ_HANDSHAKE_IVL, "ZMQ_HANDSHAKE_IVL", int: Int32(seconds * 1000))
    }

    /// How long (seconds) a blocking `receive()` waits before returning nil; negative waits forever.
    public func setReceiveTimeout(_ seconds: Double) throws {
        try set(ZMQ_RCVTIMEO, "ZMQ_RCVTIMEO", int: seconds < 0 ? -1 : Int32(seconds * 1000))
    }

    /// The identity a ROUTER peer sees for this socket (1–255 bytes, not starting with a zero byte).
    public func setRoutingID(_ id: Data) throws { try set(ZMQ_ROUTING_ID, "ZMQ_ROUTING_ID", bytes: id) }

    /// ZMTP-level heartbeats: send a PING every `interval` seconds.
    public func setHeartbeatInterval(_ seconds: Double) throws {
        try set(ZMQ_HEARTBEAT_IVL, "ZMQ_HEARTBEAT_IVL", int: Int32(seconds * 1000))
    }

    /// ZMTP-level heartbeats: how long the peer may wait for our next PING before dropping us.
    public func setHeartbeatTTL(_ seconds: Double) throws {
        try set(ZMQ_HEARTBEAT_TTL, "ZMQ_HEARTBEAT_TTL", int: Int32(seconds * 1000))
    }

    /// ZMTP-level heartbeats: how long to wait for traffic after a PING before closing the connection.
    public func setHeartbeatTimeout(_ seconds: Double) throws {
        try set(ZMQ_HEARTBEAT_TIMEOUT, "ZMQ_HEARTBEAT_TIMEOUT", int: Int32(seconds * 1000))
    }

    /// On a ROUTER, fail sends to unknown identities with EHOSTUNREACH instead of dropping them silently.
    public func setRouterMandatory(_ on: Bool) throws {
        try set(ZMQ_ROUTER_MANDATORY, "ZMQ_ROUTER_MANDATORY", int: on ? 1 : 0)
    }

    /// Makes this socket the CURVE server side (it must also have its secret key set).
    public func setCurveServer(_ on: Bool) throws { try set(ZMQ_CURVE_SERVER, "ZMQ_CURVE_SERVER", int: on ? 1 : 0) }

    /// This socket's long-term CURVE public key, as 40 Z85 characters.
    public func setCurvePublicKey(_ z85: String) throws {
        try set(ZMQ_CURVE_PUBLICKEY, "ZMQ_CURVE_PUBLICKEY", bytes: try Self.key(z85, "ZMQ_CURVE_PUBLICKEY"))
    }

    /// This socket's long-term CURVE secret key, as 40 Z85 characters.
    public func setCurveSecretKey(_ z85: String) throws {
        try set(ZMQ_CURVE_SECRETKEY, "ZMQ_CURVE_SECRETKEY", bytes: try Self.key(z85, "ZMQ_CURVE_SECRETKEY"))
    }

    /// On a CURVE client, the server's public key, as 40 Z85 characters.
    public func setCurveServerKey(_ z85: String) throws {
        try set(ZMQ_CURVE_SERVERKEY, "ZMQ_CURVE_SERVERKEY", bytes: try Self.key(z85, "ZMQ_CURVE_SERVERKEY"))
    }

    /// Publishes this socket's connection events (`ZMQ_EVENT_*` bits in `events`) on a PAIR endpoint
    /// `inproc://...`, where a `ZMQMonitor` reads them.
    public func monitor(_ endpoint: String, events: Int32 = ZMQ_EVENT_ALL) throws {
        guard zmq_socket_monitor(try open("monitor"), endpoint, events) == 0 else {
            throw ZMQError.last("zmq_socket_monitor \(endpoint)")
        }
    }

    /// Stops publishing connection events. Must come before the reading end closes: libzmq's I/O thread
    /// would otherwise block on the unread event stream, stalling every socket of the context.
    public func stopMonitor() {
        if let h = handle { zmq_socket_monitor(h, nil, 0) }
    }

    /// The ZAP domain this socket's connections are authenticated in.
    public func setZAPDomain(_ domain: String) throws {
        try set(ZMQ_ZAP_DOMAIN, "ZMQ_ZAP_DOMAIN", bytes: Data(domain.utf8))
    }

    /// Checks a Z85 key and returns its 32 raw bytes (libzmq accepts either form; raw is unambiguous).
    private static func key(_ z85: String, _ name: String) throws -> Data {
        guard z85.utf8.count == 40 else {
            throw ZMQError(
                operation: "setsockopt \(name): expected 40 Z85 characters, got \(z85.utf8.count)",
                code: EINVAL)
        }
        return try Z85.decode(z85)
    }
}
