/// Why a model could not be adapted to a new task.
public enum TransferError: Error, CustomStringConvertible {
    case badFreeze(String)
    case noHead(spec: String)
    case inputMismatch(path: String, model: [Int], data: [Int])

    public var description: String {
        switch self {
        case let .badFreeze(t): return "freeze '\(t)': expected none, all-but-last=N or until=LAYER"
        case let .noHead(s): return "new head: the model '\(s)' does not end with a dense layer that can be replaced"
        case let .inputMismatch(p, m, d): return "\(p) takes images of shape \(m) but the data has \(d)"
        }
    }
}
