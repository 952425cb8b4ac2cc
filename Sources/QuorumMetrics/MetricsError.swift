/// Why a metrics endpoint could not start.
public enum MetricsError: Error, CustomStringConvertible, Equatable {
    /// The address is not `HOST:PORT` with an IPv4 host (or `localhost`) and a port in 0...65535.
    case badAddress(String)
    /// A socket call failed.
    case socket(operation: String, address: String, errno: Int32)

    /// A message naming the address and what went wrong.
    public var description: String {
        switch self {
        case .badAddress(let text):
            return "--metrics \(text): expected HOST:PORT with an IPv4 address, e.g. 127.0.0.1:9464"
        case let .socket(operation, address, code):
            return "--metrics \(address): \(operation) failed: \(String(cString: strerror(code)))"
        }
    }
}

#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif
