/// Why a metrics endpoint could not start.
public enum MetricsError: Error, CustomStringConvertible, Equatable {
    /// The address is not `HOST:PORT` with an IPv4 host (or `localhost`) and a port in 0...65535.
    case badAddress(String)
    /// The endpoint could not listen there (the address is taken, or not this machine's).
    case cannotListen(address: String, reason: String)

    /// A message naming the address and what went wrong.
    public var description: String {
        switch self {
        case .badAddress(let text):
            return "--metrics \(text): expected HOST:PORT with an IPv4 address, e.g. 127.0.0.1:9464"
        case let .cannotListen(address, reason):
            return "--metrics \(address): cannot listen there: \(reason)"
        }
    }
}
