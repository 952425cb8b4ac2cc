/// Which layers a fine-tuning run freezes. Frozen parameters have `trainable` false, so optimizers leave
/// their bytes alone, and frozen BatchNorm layers normalise with their running statistics (which then stay
/// unchanged too).
///
/// Text forms: `none`; `all-but-last=N` (every layer with parameters except the last N of them);
/// `until=L` (layers 0 ..< L, numbered as `quorum summary` numbers them).
public enum FreezeSpec: Equatable, Sendable, CustomStringConvertible {
    case none
    case allButLast(Int)
    case until(Int)

    /// Parses one of the text forms.
    public init(parsing text: String) throws {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        if t == "none" || t.isEmpty { self = .none; return }
        let parts = t.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, let n = Int(parts[1]), n >= 0 else { throw TransferError.badFreeze(text) }
        switch parts[0] {
        case "all-but-last": self = .allButLast(n)
        case "until": self = .until(n)
        default: throw TransferError.badFreeze(text)
        }
    }

    /// The text form.
    public var description: String {
        switch self {
        case .none: return "none"
        case let .allButLast(n): return "all-but-last=\(n)"
        case let .until(l): return "until=\(l)"
        }
    }

    /// The indices of the layers this spec freezes in `model`.
    public func frozenLayers(in model: Sequential) -> [Int] {
        switch self {
        case .none: return []
        case let .until(l): return Array(0..<min(l, model.layers.count))
        case let .allButLast(n):
            let withParameters = model.layers.indices.filter { !model.layers[$0].parameters.isEmpty }
            if n == 0 { return Array(model.layers.indices) }
            guard n < withParameters.count else { return [] }
            return Array(0..<withParameters[withParameters.count - n])
        }
    }

    /// Freezes the layers and returns how many scalars were frozen.
    @discardableResult
    public func apply(to model: Sequential) -> Int {
        var frozen = 0
        for index in frozenLayers(in: model) {
            for p in model.layers[index].parameters {
                p.trainable = false
                frozen += p.count
            }
        }
        return frozen
    }
}
