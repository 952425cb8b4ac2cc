import Foundation
import CZeroMQ

/// Reads the connection events libzmq publishes for one socket (`zmq_socket_monitor`), so a client can tell
/// a refused CURVE handshake from a coordinator that is merely down.
public final class ZMQMonitor {
    /// One connection event.
    public struct Event: Equatable, Sendable {
        /// The `ZMQ_EVENT_*` bit.
        public var kind: Int32
        /// The event's value (an errno, a file descriptor or a ZAP status, by kind).
        public var value: UInt32
        /// The peer endpoint the event concerns.
        public var address: String
    }

    /// The PAIR socket the events arrive on; poll it together with the watched socket.
    public let socket: ZMQSocket
    private weak var watched: ZMQSocket?

    /// Starts monitoring `watched` and connects the reading end; call on the thread that owns `watched`.
    public init(watching watched: ZMQSocket, context: ZMQContext, events: Int32 = ZMQ_EVENT_ALL) throws {
        let endpoint = "inproc://quorum-monitor-\(UUID().uuidString)"
        try watched.monitor(endpoint, events: events)
        self.watched = watched
        socket = try context.socket(.pair)
        do {
            try socket.setLinger(0)
            try socket.connect(endpoint)
        } catch {
            watched.stopMonitor()
            socket.close()
            throw error
        }
    }

    deinit { close() }

    /// The next event if one is waiting.
    public func next() throws -> Event? {
        guard let frames = try socket.receive(dontWait: true) else { return nil }
        // Version 1 events: frame 0 is a 16-bit event id and a 32-bit value (host byte order), frame 1 the address.
        guard frames.count == 2, frames[0].count == 6 else { return nil }
        let raw = [UInt8](frames[0])
        let kind = Int32(UInt16(raw[0]) | UInt16(raw[1]) << 8)
        let value = UInt32(raw[2]) | UInt32(raw[3]) << 8 | UInt32(raw[4]) << 16 | UInt32(raw[5]) << 24
        return Event(kind: kind, value: value, address: String(decoding: frames[1], as: UTF8.self))
    }

    /// Stops the watched socket's events, then closes the reading end (in that order: see `stopMonitor`).
    /// Call it before closing the watched socket.
    public func close() {
        watched?.stopMonitor()
        watched = nil
        socket.close()
    }
}
