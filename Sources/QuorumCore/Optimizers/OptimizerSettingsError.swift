/// What is wrong with optimizer or schedule settings, naming the field and what was expected.
public enum OptimizerSettingsError: Error, Equatable, CustomStringConvertible {
    /// The optimizer name is none of the known ones.
    case unknownOptimizer(String)
    /// A field holds a value outside its range.
    case invalidField(field: String, value: String, expected: String)
    /// A field was given for an optimizer that does not use it.
    case notApplicable(field: String, optimizer: String)
    /// The schedule text does not parse.
    case invalidSchedule(text: String, expected: String)

    /// The field the error is about.
    public var field: String {
        switch self {
        case .unknownOptimizer: return "optimizer"
        case let .invalidField(field, _, _), let .notApplicable(field, _): return field
        case .invalidSchedule: return "schedule"
        }
    }

    /// A message for the user.
    public var description: String {
        switch self {
        case let .unknownOptimizer(name):
            let known = OptimizerKind.allCases.map(\.rawValue).joined(separator: ", ")
            return "optimizer settings: field `optimizer` is `\(name)`; expected one of \(known)"
        case let .invalidField(field, value, expected):
            return "optimizer settings: field `\(field)` is \(value); expected \(expected)"
        case let .notApplicable(field, optimizer):
            return "optimizer settings: field `\(field)` was given, but optimizer `\(optimizer)` does not use it"
        case let .invalidSchedule(text, expected):
            return "optimizer settings: field `schedule` is `\(text)`; expected \(expected)"
        }
    }
}
