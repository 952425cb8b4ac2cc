/// Adam with decoupled weight decay (Loshchilov & Hutter, 2019), as PyTorch's `AdamW`.
///
/// The same optimizer as `Adam(…, decoupled: true)`, with PyTorch's default decay of 0.01.
public final class AdamW: Adam {
    /// An AdamW optimizer over `parameters`.
    public init(
        parameters: [Parameter], learningRate: Float, beta1: Float = 0.9, beta2: Float = 0.999,
        epsilon: Float = 1e-8, weightDecay: Float = 0.01
    ) {
        super.init(
            parameters: parameters, learningRate: learningRate, beta1: beta1, beta2: beta2,
            epsilon: epsilon, weightDecay: weightDecay, decoupled: true)
    }
}
