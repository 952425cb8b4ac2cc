#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif
import CZeroMQ

/// A failed ZeroMQ call: which operation, on what, and libzmq's own explanation of errno.
public struct ZMQError: Error, CustomStringConvertible, Equatable {
    /// The operation that failed, e.g. `bind tcp://127.0.0.1:5555` or `setsockopt ZMQ_LINGER`.
    public let operation: String
    /// The errno value libzmq reported.
    public let code: Int32
    /// `zmq_strerror(code)`.
    public let message: String

    /// An error for `operation` with an explicit errno value.
    public init(operation: String, code: Int32) {
        self.operation = operation
        self.code = code
        message = String(cString: zmq_strerror(code))
    }

    /// An error for `operation` with the errno libzmq just set.
    static func last(_ operation: String) -> ZMQError { ZMQError(operation: operation, code: zmq_errno()) }

    /// Human-readable text naming the operation and the reason.
    public var description: String { "ZeroMQ \(operation) failed: \(message) (errno \(code))" }
}
