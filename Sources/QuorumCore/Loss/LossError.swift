/// Why a loss cannot be built from the given settings (class weights and smoothing come from the user).
public enum LossError: Error, CustomStringConvertible, Equatable {
    /// The class count is not positive.
    case noClasses(Int)
    /// The class weights do not match the class count, or one is negative or not finite.
    case badClassWeights(count: Int, classes: Int, detail: String)
    /// Label smoothing outside [0, 1].
    case badLabelSmoothing(Float)

    /// A message naming the setting and what was expected.
    public var description: String {
        switch self {
        case let .noClasses(n):
            return "loss: expected at least one class, got \(n)"
        case let .badClassWeights(count, classes, detail):
            return "loss: class weights: \(detail) (got \(count) weights for \(classes) classes)"
        case let .badLabelSmoothing(value):
            return "loss: label smoothing must be in [0, 1], got \(value)"
        }
    }
}
