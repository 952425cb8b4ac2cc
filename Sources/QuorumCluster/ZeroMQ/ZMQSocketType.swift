import CZeroMQ

/// The socket patterns Quorum uses.
public enum ZMQSocketType: Sendable {
    /// Addressed routing by peer identity: the coordinator.
    case router
    /// Fair-queued asynchronous requests: a worker.
    case dealer
    /// Exclusive one-to-one pipes, used over inproc to wake a thread.
    case pair
    /// Strict request-reply, answering side: the ZAP authentication handler.
    case rep

    /// The libzmq constant.
    var raw: Int32 {
        switch self {
        case .router: return ZMQ_ROUTER
        case .dealer: return ZMQ_DEALER
        case .pair: return ZMQ_PAIR
        case .rep: return ZMQ_REP
        }
    }
}
