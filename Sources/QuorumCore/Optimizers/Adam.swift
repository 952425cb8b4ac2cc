#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// Adam (Kingma & Ba, 2015), with L2 weight decay or, when `decoupled`, AdamW's decoupled decay.
///
/// PyTorch's semantics, per element at step t of that parameter:
/// AdamW first shrinks `p -= lr·wd·p`; plain Adam instead adds `wd·p` to the gradient g. Then
/// `m = β1·m + (1−β1)·g`, `v = β2·v + (1−β2)·g²`, and
/// `p -= lr/(1−β1ᵗ) · m / (√v/√(1−β2ᵗ) + ε)`.
/// Decay in either form only touches parameters whose `decays` flag is true.
public class Adam: Optimizer {
    /// The step size α.
    public var learningRate: Float
    /// The decay rate of the first-moment (mean) estimate.
    public let beta1: Float
    /// The decay rate of the second-moment (uncentred variance) estimate.
    public let beta2: Float
    /// Added to the denominator so that tiny second moments do not blow the step up.
    public let epsilon: Float
    /// The weight-decay factor.
    public let weightDecay: Float
    /// Whether weight decay is decoupled from the gradient (AdamW) rather than an L2 term.
    public let decoupled: Bool

    private let state: OptimizerState
    // Per-parameter step counts: a parameter frozen for a while and then unfrozen starts its bias
    // correction where its own moments are, as PyTorch's per-parameter state does.
    private var stepCounts: [Int]

    /// An optimizer over `parameters`; the defaults are the paper's.
    public init(
        parameters: [Parameter], learningRate: Float, beta1: Float = 0.9, beta2: Float = 0.999,
        epsilon: Float = 1e-8, weightDecay: Float = 0, decoupled: Bool = false
    ) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.decoupled = decoupled
        state = OptimizerState(parameters: parameters, bufferCount: 2)
        stepCounts = Array(repeating: 0, count: parameters.count)
    }

    /// `adamw` when the decay is decoupled, `adam` otherwise.
    public var name: String { decoupled ? "adamw" : "adam" }

    /// The number of updates applied so far (the largest per-parameter count).
    public var steps: Int { stepCounts.max() ?? 0 }

    /// The hyperparameters and step count.
    public var stateDescription: String {
        "\(name) lr=\(learningRate) beta1=\(beta1) beta2=\(beta2) epsilon=\(epsilon) weightDecay=\(weightDecay) step=\(steps)"
    }

    /// Applies one update from the current gradients.
    public func step() {
        let lr = learningRate
        for i in state.parameters.indices where state.parameters[i].trainable {
            let p = state.parameters[i]
            let n = state.count(i)
            stepCounts[i] += 1
            let t = Double(stepCounts[i])
            // The scalar factors in Double, as PyTorch computes them in Python floats.
            let stepSize = Float(Double(lr) / (1 - pow(Double(beta1), t)))
            let correction2 = Float((1 - pow(Double(beta2), t)).squareRoot())
            let wd: Float = p.decays ? weightDecay : 0
            AdamKernel.update(
                value: p.value.data, gradient: p.gradient.data,
                m: state.buffers[0] + state.offsets[i], v: state.buffers[1] + state.offsets[i],
                count: n, beta1: beta1, beta2: beta2, epsilon: epsilon,
                stepSize: stepSize, correction2: correction2,
                l2: decoupled ? 0 : wd, shrink: decoupled ? 1 - lr * wd : 1)
        }
    }
}
