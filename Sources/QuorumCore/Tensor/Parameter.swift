/// A learnable tensor with its gradient, a stable name (used in model files) and a `trainable` flag.
///
/// Freezing a parameter (for transfer learning) sets `trainable` to false: optimizers then leave its
/// bytes untouched, and layers may skip accumulating its gradient.
public final class Parameter {
    /// The name the model file uses, e.g. `layers.0.weight`. Set by the model when it numbers its layers.
    public var name: String
    /// The current values.
    public let value: Tensor
    /// The accumulated gradient of the loss with respect to `value`, same shape.
    public let gradient: Tensor
    /// Whether optimizers update this parameter.
    public var trainable: Bool = true
    /// Whether weight decay applies (true for weights, false for biases and normalisation parameters).
    public let decays: Bool

    /// A parameter of the given shape, zero-filled, with a zero gradient.
    public init(name: String, shape: [Int], decays: Bool) {
        self.name = name
        value = Tensor(shape: shape)
        gradient = Tensor(shape: shape)
        self.decays = decays
    }

    /// The number of scalars.
    public var count: Int { value.count }
}
