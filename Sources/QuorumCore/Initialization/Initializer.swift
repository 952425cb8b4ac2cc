/// Weight initialisation schemes, scaled by fan-in (He) or fan-in plus fan-out (Xavier/Glorot).
public enum Initializer: String, Sendable, Codable, CaseIterable {
    /// Normal with std √(2 / fanIn): keeps activation variance through ReLU layers.
    case heNormal
    /// Uniform in ±√(6 / fanIn): the same variance as `heNormal` (PyTorch's `kaiming_uniform_`).
    case heUniform
    /// Normal with std √(2 / (fanIn + fanOut)).
    case xavierNormal
    /// Uniform in ±√(6 / (fanIn + fanOut)).
    case xavierUniform

    /// Overwrites every element of `t` with a draw from this scheme, in element order.
    public func fill(_ t: Tensor, fanIn: Int, fanOut: Int, using generator: inout SeededGenerator) {
        precondition(fanIn > 0 && fanOut > 0, "Initializer.fill: fan-in and fan-out must be positive")
        let p = t.data
        switch self {
        case .heNormal:
            let std = (2 / Float(fanIn)).squareRoot()
            for i in 0..<t.count { p[i] = std * generator.nextNormal() }
        case .heUniform:
            let bound = (6 / Float(fanIn)).squareRoot()
            for i in 0..<t.count { p[i] = bound * (2 * generator.nextUniform() - 1) }
        case .xavierNormal:
            let std = (2 / Float(fanIn + fanOut)).squareRoot()
            for i in 0..<t.count { p[i] = std * generator.nextNormal() }
        case .xavierUniform:
            let bound = (6 / Float(fanIn + fanOut)).squareRoot()
            for i in 0..<t.count { p[i] = bound * (2 * generator.nextUniform() - 1) }
        }
    }
}
