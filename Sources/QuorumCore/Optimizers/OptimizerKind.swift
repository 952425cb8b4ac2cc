import Foundation

/// The optimizers settings can name, spelled as on the command line.
public enum OptimizerKind: String, Codable, CaseIterable, Sendable {
    /// `SGD`, with momentum 0.9 by default.
    case sgd
    /// `Adam`.
    case adam
    /// `AdamW` (Adam with decoupled weight decay).
    case adamw
    /// `RMSprop`.
    case rmsprop
    /// `Adadelta`.
    case adadelta
    /// `AdamThenSGD` (SWATS); `swats` is accepted as another name.
    case adamSGD = "adam-sgd"

    /// Parses a name, ignoring case; throws `OptimizerSettingsError.unknownOptimizer`.
    public init(parsing text: String) throws {
        let name = text.trimmingCharacters(in: .whitespaces).lowercased()
        if name == "swats" { self = .adamSGD; return }
        guard let kind = OptimizerKind(rawValue: name) else { throw OptimizerSettingsError.unknownOptimizer(text) }
        self = kind
    }

    /// The default learning rate: PyTorch's for each optimizer, 1.0 for Adadelta, and 2e-3 for AdamW, which
    /// measured best with a cosine schedule and warm-up (docs/accuracy.md).
    public var defaultLearningRate: Float {
        switch self {
        case .sgd, .rmsprop: return 0.01
        case .adamw: return 2e-3
        case .adam, .adamSGD: return 1e-3
        case .adadelta: return 1.0
        }
    }

    /// The default weight decay: 0.01 for AdamW (PyTorch's), none for the others.
    public var defaultWeightDecay: Float { self == .adamw ? 0.01 : 0 }

    /// The default momentum: 0.9 for SGD (plain SGD trains CNNs poorly), none for RMSprop.
    public var defaultMomentum: Float { self == .sgd ? 0.9 : 0 }

    /// The default ρ: RMSprop's α is 0.99, Adadelta's ρ 0.9.
    public var defaultRho: Float { self == .adadelta ? 0.9 : 0.99 }

    /// The default ε: 1e-6 for Adadelta, 1e-8 for the others.
    public var defaultEpsilon: Float { self == .adadelta ? 1e-6 : 1e-8 }

    /// Whether the optimizer has a momentum setting.
    var usesMomentum: Bool { self == .sgd || self == .rmsprop }
    /// Whether the optimizer has Adam's β1 and β2.
    var usesBetas: Bool { self == .adam || self == .adamw || self == .adamSGD }
    /// Whether the optimizer has a squared-gradient decay ρ.
    var usesRho: Bool { self == .rmsprop || self == .adadelta }
    /// Whether the optimizer has an ε.
    var usesEpsilon: Bool { self != .sgd }
}
