#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif
import Foundation
import CZeroMQ

/// Turns a bound socket's monitor events into one readable line per refused connection: a client without
/// CURVE, with the wrong server key, with an unknown key, or one that never finished its handshake.
///
/// libzmq reports a failed handshake with the failure's code but not the peer; the DISCONNECTED event that
/// follows names the connection's file descriptor, and the ACCEPTED event before it gave that descriptor,
/// whose peer address is read then.
public final class HandshakeRefusals {
    /// One refused connection.
    public struct Refusal: Equatable, Sendable {
        /// `IP:port` of the peer, or "an unknown address" when the connection was gone before it was read.
        public var address: String
        /// The peer's IP address alone (for grouping log lines).
        public var host: String
        /// Why, in words an operator can act on.
        public var reason: String
    }

    /// The events this needs.
    public static let events: Int32 =
        ZMQ_EVENT_ACCEPTED | ZMQ_EVENT_DISCONNECTED | ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL
        | ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL | ZMQ_EVENT_HANDSHAKE_FAILED_AUTH

    private let monitor: ZMQMonitor
    private let curve: Bool
    private var peers: [UInt32: (address: String, host: String)] = [:]
    private var pending: String?

    /// Watches `socket` (call on the thread that owns it); `curve` says whether it is a CURVE server.
    public init(watching socket: ZMQSocket, context: ZMQContext, curve: Bool) throws {
        monitor = try ZMQMonitor(watching: socket, context: context, events: Self.events)
        self.curve = curve
    }

    /// The socket to poll for events.
    public var socket: ZMQSocket { monitor.socket }

    /// Stops watching; call before the watched socket closes.
    public func close() { monitor.close() }

    /// Reads every waiting event; returns the refusals they complete.
    public func take() -> [Refusal] {
        var refusals: [Refusal] = []
        while let event = try? monitor.next() {
            switch event.kind {
            case ZMQ_EVENT_ACCEPTED:
                // Bounded: descriptors are reused, so a flood of connections cannot grow the table past this.
                if peers.count >= 4096 { peers.removeAll() }
                peers[event.value] = Self.peerAddress(Int32(bitPattern: event.value))
            case ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL: pending = protocolReason(event.value)
            case ZMQ_EVENT_HANDSHAKE_FAILED_AUTH:
                pending = "its CURVE key is not among the authorized keys (ZAP status \(event.value))"
            case ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL:
                pending =
                    "the connection closed or timed out before the handshake finished"
                    + (curve ? " (a worker without --curve-key or --server-key looks like this too)" : "")
            case ZMQ_EVENT_DISCONNECTED:
                let peer = peers.removeValue(forKey: event.value)
                if let reason = pending {
                    refusals.append(
                        Refusal(
                            address: peer?.address ?? "an unknown address",
                            host: peer?.host ?? "unknown", reason: reason))
                }
                pending = nil
            default: break
            }
        }
        return refusals
    }

    private func protocolReason(_ code: UInt32) -> String {
        switch Int32(bitPattern: code) {
        case ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH:
            return curve
                ? "it does not use CURVE (a worker needs --curve-key and --server-key)"
                : "it uses a security mechanism (CURVE?) this coordinator was not started with"
        case ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC, ZMQ_PROTOCOL_ERROR_ZMTP_KEY_EXCHANGE,
            ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_HELLO, ZMQ_PROTOCOL_ERROR_ZMTP_MALFORMED_COMMAND_INITIATE:
            return "its CURVE handshake cannot be decrypted: it probably has the wrong --server-key"
        default:
            return "ZMTP handshake error 0x\(String(code, radix: 16)) (not a Quorum worker, or a broken one)"
        }
    }

    /// `IP:port` and the IP of a connected socket's peer, or nil.
    static func peerAddress(_ fd: Int32) -> (address: String, host: String)? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let rc = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getpeername(fd, $0, &length) }
        }
        guard rc == 0 else { return nil }
        if Int32(storage.ss_family) == AF_UNIX { return ("a local (ipc) peer", "ipc") }
        var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        var port = [CChar](repeating: 0, count: Int(NI_MAXSERV))
        let ok = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                getnameinfo(
                    $0, length, &host, socklen_t(host.count), &port, socklen_t(port.count),
                    NI_NUMERICHOST | NI_NUMERICSERV)
            }
        }
        guard ok == 0 else { return nil }
        let ip = String(cString: host)
        return ("\(ip):\(String(cString: port))", ip)
    }
}
