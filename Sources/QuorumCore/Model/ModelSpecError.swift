/// Why a model's text form or its shapes were refused.
public enum ModelSpecError: Error, CustomStringConvertible, Equatable {
    case empty
    case unknownLayer(String)
    case badArgument(token: String, what: String)
    case shape(token: String, input: [Int], reason: String)
    case outputMismatch(produced: [Int], classes: Int)
    /// A size is over its limit in `ModelLimits` (or overflows, reported as `Int.max`).
    case overLimit(what: String, value: Int, limit: Int)
    /// The input shape is not a usable `[H, W, C]`.
    case inputShape([Int], reason: String)

    public var description: String {
        switch self {
        case .empty:
            return "model spec is empty: give a preset (mlp, cnn-a, cnn-b, cnn-c) or layers such as 'flatten dense(10)'"
        case let .unknownLayer(t):
            return
                "model spec: unknown layer '\(t)' (known: convKxK(F), dense(N), relu, leakyrelu(s), elu(a), maxpoolK, avgpoolK, gap, batchnorm, dropout(p), flatten)"
        case let .badArgument(t, what): return "model spec: '\(t)' needs a valid \(what)"
        case let .shape(t, input, reason): return "model spec: '\(t)' cannot take input of shape \(input): \(reason)"
        case let .overLimit(what, value, limit):
            let shown = value == Int.max ? "overflows" : "is \(value)"
            return "model spec: \(what) \(shown), over the limit of \(limit)"
        case let .inputShape(shape, reason): return "model spec: input shape \(shape) is refused: \(reason)"
        case let .outputMismatch(produced, classes):
            return
                "model spec: the last layer gives shape \(produced) but the data has \(classes) classes; end with dense(\(classes))"
        }
    }
}
