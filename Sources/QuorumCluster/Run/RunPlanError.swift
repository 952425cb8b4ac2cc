/// Why a run plan could not be made or read.
public enum RunPlanError: Error, CustomStringConvertible {
    case badOption(name: String, reason: String)
    case unreadable(path: String, reason: String)
    case mismatch(path: String, reason: String)

    public var description: String {
        switch self {
        case let .badOption(n, r): return "\(n): \(r)"
        case let .unreadable(p, r): return "\(p): cannot read the run plan: \(r)"
        case let .mismatch(p, r): return "\(p): \(r)"
        }
    }
}
