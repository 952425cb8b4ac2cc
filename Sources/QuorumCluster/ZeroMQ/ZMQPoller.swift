import CZeroMQ

/// Waits on several sockets at once with `zmq_poll`, so one thread can serve them without spinning.
public struct ZMQPoller {
    private let sockets: [ZMQSocket]
    private var items: [zmq_pollitem_t]

    /// A poller for readability of `sockets`, in that order.
    public init(sockets: [ZMQSocket]) {
        self.sockets = sockets
        items = sockets.map { zmq_pollitem_t(socket: $0.handle, fd: 0, events: Int16(ZMQ_POLLIN), revents: 0) }
    }

    /// Waits up to `timeout` seconds (negative: forever) and returns, per socket, whether a message is
    /// waiting. A signal interrupting the wait counts as a timeout.
    public mutating func poll(timeout: Double) throws -> [Bool] {
        for s in sockets where s.isClosed { throw ZMQError(operation: "zmq_poll on a closed socket", code: ENOTSOCK) }
        let ms = timeout < 0 ? -1 : Int(timeout * 1000)
        let rc = items.withUnsafeMutableBufferPointer { zmq_poll($0.baseAddress, Int32($0.count), ms) }
        if rc < 0 {
            if zmq_errno() == EINTR { return Array(repeating: false, count: items.count) }
            throw ZMQError.last("zmq_poll")
        }
        return items.map { ($0.revents & Int16(ZMQ_POLLIN)) != 0 }
    }
}
