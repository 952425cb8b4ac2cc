/// Inputs to voting and metrics that do not fit together.
public enum EnsembleError: Error, CustomStringConvertible, Equatable {
    /// A member's probability array does not hold `count × classes` values.
    case malformedPredictions(member: String, values: Int, classes: Int)
    /// There is nothing to vote with.
    case noMembers
    /// A member's sample or class count differs from the first member's.
    case shapeMismatch(member: String, expected: String, found: String)
    /// The label array does not have one label per sample.
    case labelCountMismatch(expected: Int, found: Int)
    /// A label lies outside `0..<classes`.
    case labelOutOfRange(index: Int, label: Int32, classes: Int)
    /// The weight array does not have one weight per member.
    case weightCountMismatch(expected: Int, found: Int)
    /// A weight is negative or not finite, or all weights are zero.
    case invalidWeights([Float])
    /// A per-member detail array does not have one entry per member.
    case detailCountMismatch(field: String, expected: Int, found: Int)
    /// A selection or stacking setting is out of range.
    case badSetting(name: String, expected: String, found: String)

    /// A message naming the member or field and what was expected.
    public var description: String {
        switch self {
        case let .malformedPredictions(member, values, classes):
            return
                "predictions of member '\(member)': \(values) probabilities is not a whole number of rows of \(classes) classes"
        case .noMembers:
            return "ensemble: expected at least one member, found none"
        case let .shapeMismatch(member, expected, found):
            return "predictions of member '\(member)': expected \(expected), found \(found)"
        case let .labelCountMismatch(expected, found):
            return "labels: expected one label per sample (\(expected)), found \(found)"
        case let .labelOutOfRange(index, label, classes):
            return "labels[\(index)]: expected a class in 0..<\(classes), found \(label)"
        case let .weightCountMismatch(expected, found):
            return "weights: expected one weight per member (\(expected)), found \(found)"
        case let .invalidWeights(weights):
            return "weights: expected finite, non-negative values with a positive sum, found \(weights)"
        case let .detailCountMismatch(field, expected, found):
            return "\(field): expected one entry per member (\(expected)), found \(found)"
        case let .badSetting(name, expected, found):
            return "\(name): expected \(expected), found \(found)"
        }
    }
}
