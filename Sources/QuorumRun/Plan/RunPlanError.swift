/// Why a run plan could not be made or read.
public enum RunPlanError: Error, CustomStringConvertible {
    case badOption(name: String, reason: String)
    case unreadable(path: String, reason: String)
    case mismatch(path: String, reason: String)
    /// A run was to be resumed from a folder that holds no plan.
    case noPlan(path: String)
    /// A new run was to start in a folder that already holds one.
    case planExists(path: String)

    public var description: String {
        switch self {
        case let .badOption(n, r): return "\(n): \(r)"
        case let .unreadable(p, r): return "\(p): cannot read the run plan: \(r)"
        case let .mismatch(p, r): return "\(p): \(r)"
        case let .noPlan(p): return "\(p) holds no run to resume (no plan.json)"
        case let .planExists(p): return "\(p) already holds a run"
        }
    }
}
