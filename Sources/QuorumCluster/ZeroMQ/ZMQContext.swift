import CZeroMQ

/// A libzmq context: the I/O threads every socket of a process shares.
///
/// Sockets keep their context alive, so the context is only terminated once every socket made from it
/// has been closed and released (`zmq_ctx_term` would otherwise block).
public final class ZMQContext {
    /// The raw `void *` context.
    let handle: UnsafeMutableRawPointer

    /// A new context with libzmq's default of one I/O thread, holding at most `maxSockets` sockets (libzmq's
    /// default is 1,023, fewer than a load test's simulated workers).
    public init(maxSockets: Int? = nil) throws {
        guard let h = zmq_ctx_new() else { throw ZMQError.last("zmq_ctx_new") }
        handle = h
        if let maxSockets, zmq_ctx_set(h, ZMQ_MAX_SOCKETS, Int32(clamping: maxSockets)) != 0 {
            throw ZMQError.last("zmq_ctx_set(ZMQ_MAX_SOCKETS)")
        }
    }

    deinit {
        // EINTR only means a signal arrived while waiting; the context still has to go.
        while zmq_ctx_term(handle) != 0 && zmq_errno() == EINTR {}
    }

    /// A new socket of the given type in this context.
    public func socket(_ type: ZMQSocketType) throws -> ZMQSocket { try ZMQSocket(context: self, type: type) }
}
