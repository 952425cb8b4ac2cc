/// A layer whose parameters need initial values; layers without parameters do not conform.
public protocol WeightInitializable: Layer {
    /// Sets the parameters (and resets any buffers) to fresh initial values drawn from `generator`,
    /// weights with `scheme`.
    func initialize(weights scheme: Initializer, using generator: inout SeededGenerator)
}

/// Initialises one layer: weights He-uniform (fan-in) unless another scheme is given, biases zero,
/// BatchNorm γ = 1, β = 0 and fresh running statistics. Layers without parameters draw nothing, so a
/// model that calls this for each layer in order gets the same weights from the same generator.
///
/// He-uniform rather than PyTorch's own default (`kaiming_uniform_` with a = √5, i.e. ±1/√fanIn) because
/// the nets this trains are ReLU nets, for which the He scale keeps activations from shrinking.
public func initialize(
    _ layer: Layer, weights scheme: Initializer = .heUniform,
    using generator: inout SeededGenerator
) {
    (layer as? WeightInitializable)?.initialize(weights: scheme, using: &generator)
}

extension Conv2D: WeightInitializable {
    /// Weights from `scheme` with fan-in K·K·Cin and fan-out K·K·filters (PyTorch's fans); bias zero.
    public func initialize(weights scheme: Initializer, using generator: inout SeededGenerator) {
        let area = kernelSize * kernelSize
        scheme.fill(weight.value, fanIn: area * inChannels, fanOut: area * filters, using: &generator)
        bias.value.zero()
    }
}

extension Dense: WeightInitializable {
    /// Weights from `scheme` with fan-in `inFeatures` and fan-out `outFeatures`; bias zero.
    public func initialize(weights scheme: Initializer, using generator: inout SeededGenerator) {
        scheme.fill(weight.value, fanIn: inFeatures, fanOut: outFeatures, using: &generator)
        bias.value.zero()
    }
}

extension BatchNorm2D: WeightInitializable {
    /// γ = 1, β = 0, running mean 0 and variance 1; draws nothing.
    public func initialize(weights scheme: Initializer, using generator: inout SeededGenerator) {
        weight.value.fill(1)
        bias.value.zero()
        runningMean.value.zero()
        runningVar.value.fill(1)
    }
}
