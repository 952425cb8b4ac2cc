/// How a fresh network's parameters are drawn: the `--init` option.
///
/// `he` is what `Sequential(spec:seed:)` does on its own (He-uniform weights, zero biases). `pytorch` is
/// PyTorch's default for `nn.Conv2d` and `nn.Linear`: `kaiming_uniform_` with a = √5, which is
/// U(±1/√fanIn), for the weights, and U(±1/√fanIn) for the biases too. The CLI draws fresh networks with it
/// by default: cnn-a trains as PyTorch's does with it and not with `he` (docs/accuracy.md).
public enum InitializationScheme: String, Codable, CaseIterable, Sendable {
    /// He-uniform weights U(±√(6/fanIn)), zero biases.
    case he
    /// He-normal weights N(0, 2/fanIn), zero biases.
    case heNormal = "he-normal"
    /// Xavier-uniform weights U(±√(6/(fanIn+fanOut))), zero biases.
    case xavier
    /// Xavier-normal weights N(0, 2/(fanIn+fanOut)), zero biases.
    case xavierNormal = "xavier-normal"
    /// PyTorch's default: weights and biases U(±1/√fanIn).
    case pytorch

    /// The weight scheme of the schemes that leave biases at zero; nil for `pytorch`.
    public var weightInitializer: Initializer? {
        switch self {
        case .he: return .heUniform
        case .heNormal: return .heNormal
        case .xavier: return .xavierUniform
        case .xavierNormal: return .xavierNormal
        case .pytorch: return nil
        }
    }

    /// The bound b of PyTorch's U(−b, b) for a layer with this fan-in: 1/√fanIn, for weights and biases.
    ///
    /// `kaiming_uniform_(a=√5)` gives gain √(2/(1+a²)) = √(1/3) and bound gain·√(3/fanIn) = 1/√fanIn.
    public static func pytorchBound(fanIn: Int) -> Float { 1 / Float(fanIn).squareRoot() }
}

extension Sequential {
    /// Draws every parameter afresh with `scheme` from `seed` (purpose "init", as the initialiser uses),
    /// layer by layer, weights before biases. BatchNorm layers get γ = 1, β = 0 and fresh statistics.
    /// With `he` the result is exactly what `init(spec:seed:)` produced.
    public func reinitialize(_ scheme: InitializationScheme, seed: UInt64) {
        var generator = SeededGenerator(seed: seed, purpose: "init")
        for layer in layers {
            if let weights = scheme.weightInitializer {
                QuorumCore.initialize(layer, weights: weights, using: &generator)
                continue
            }
            switch layer {
            case let conv as Conv2D:
                let fanIn = conv.kernelSize * conv.kernelSize * conv.inChannels
                Self.fillPyTorchDefault([conv.weight, conv.bias], fanIn: fanIn, using: &generator)
            case let dense as Dense:
                Self.fillPyTorchDefault([dense.weight, dense.bias], fanIn: dense.inFeatures, using: &generator)
            default:
                QuorumCore.initialize(layer, using: &generator)
            }
        }
    }

    /// Fills each parameter, in order, with U(±1/√fanIn) draws.
    private static func fillPyTorchDefault(
        _ parameters: [Parameter], fanIn: Int,
        using generator: inout SeededGenerator
    ) {
        let bound = InitializationScheme.pytorchBound(fanIn: fanIn)
        for p in parameters {
            let data = p.value.data
            for i in 0..<p.count { data[i] = bound * (2 * generator.nextUniform() - 1) }
        }
    }
}
