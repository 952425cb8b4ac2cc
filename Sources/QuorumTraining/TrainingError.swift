/// Why training could not start or go on.
public enum TrainingError: Error, CustomStringConvertible {
    case badConfig(field: String, reason: String)
    case cancelled
    case diverged(epoch: Int, batch: Int)

    public var description: String {
        switch self {
        case let .badConfig(f, r): return "training settings: \(f) \(r)"
        case .cancelled: return "training was cancelled"
        case let .diverged(e, b):
            return
                "training diverged at epoch \(e), batch \(b): the loss is not a finite number (lower the learning rate)"
        }
    }
}
