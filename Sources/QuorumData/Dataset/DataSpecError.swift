/// Why a compact text form (augmentation, class weights, imbalance) was rejected. Messages name the key.
public enum DataSpecError: Error, CustomStringConvertible, Equatable {
    /// The key is not one the form knows.
    case unknownKey(form: String, key: String, allowed: [String])
    /// The key's value is missing or not acceptable.
    case badValue(form: String, key: String, value: String, expected: String)
    /// A key appears twice.
    case duplicateKey(form: String, key: String)
    /// The text is empty.
    case empty(form: String)
    /// The number of values does not match the number of classes.
    case wrongCount(form: String, found: Int, expected: Int)

    /// A one-line message naming the form, the key and what was expected.
    public var description: String {
        switch self {
        case let .unknownKey(form, key, allowed):
            return "\(form): unknown key '\(key)' (known: \(allowed.joined(separator: ", ")))"
        case let .badValue(form, key, value, expected):
            return "\(form): bad value '\(value)' for '\(key)': expected \(expected)"
        case let .duplicateKey(form, key):
            return "\(form): '\(key)' is given more than once"
        case let .empty(form):
            return "\(form): empty text"
        case let .wrongCount(form, found, expected):
            return "\(form): \(found) values given but the data set has \(expected) classes"
        }
    }
}
