/// Why a model could not be pruned as asked.
public enum PruningError: Error, CustomStringConvertible {
    case notPrunable(layer: Int, spec: String)
    case badCount(layer: Int, keep: Int, filters: Int)
    case badRatio(Double)
    case rebuild(reason: String)

    public var description: String {
        switch self {
        case let .notPrunable(l, s):
            return
                "pruning: layer \(l) of '\(s)' is not a convolution whose channels feed a later convolution or dense layer"
        case let .badCount(l, k, f):
            return "pruning: layer \(l) has \(f) filters; cannot keep \(k) (keep between 1 and \(f))"
        case let .badRatio(r): return "pruning: ratio \(r) must be in [0, 1)"
        case let .rebuild(r): return "pruning: the smaller model does not build: \(r)"
        }
    }
}
