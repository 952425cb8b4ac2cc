/// Why a model's text form or its shapes were refused.
public enum ModelSpecError: Error, CustomStringConvertible, Equatable {
    case empty
    case unknownLayer(String)
    case badArgument(token: String, what: String)
    case shape(token: String, input: [Int], reason: String)
    case outputMismatch(produced: [Int], classes: Int)

    public var description: String {
        switch self {
        case .empty: return "model spec is empty: give a preset (mlp, cnn-a, cnn-b) or layers such as 'flatten dense(10)'"
        case let .unknownLayer(t): return "model spec: unknown layer '\(t)' (known: convKxK(F), dense(N), relu, leakyrelu(s), elu(a), maxpoolK, avgpoolK, gap, batchnorm, dropout(p), flatten)"
        case let .badArgument(t, what): return "model spec: '\(t)' needs a valid \(what)"
        case let .shape(t, input, reason): return "model spec: '\(t)' cannot take input of shape \(input): \(reason)"
        case let .outputMismatch(produced, classes): return "model spec: the last layer gives shape \(produced) but the data has \(classes) classes; end with dense(\(classes))"
        }
    }
}
