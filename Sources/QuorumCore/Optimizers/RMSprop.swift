/// RMSprop (Hinton's lecture 6e), uncentred, with optional momentum and L2 weight decay.
///
/// PyTorch's semantics: `g = grad + wd·p` (decaying parameters only), `s = α·s + (1−α)·g²`,
/// then with momentum `buf = μ·buf + g/(√s + ε)`, `p -= lr·buf`, or without it `p -= lr·g/(√s + ε)`.
public final class RMSprop: Optimizer {
    /// The step size.
    public var learningRate: Float
    /// The decay rate α of the squared-gradient average.
    public let alpha: Float
    /// Added to the root of the average so that tiny averages do not blow the step up.
    public let epsilon: Float
    /// The momentum factor μ (0 for none).
    public let momentum: Float
    /// The L2 penalty added to the gradient of decaying parameters.
    public let weightDecay: Float
    /// How many steps have been taken.
    public private(set) var steps = 0

    private let state: OptimizerState

    /// An optimizer over `parameters`; the defaults are PyTorch's.
    public init(
        parameters: [Parameter], learningRate: Float, alpha: Float = 0.99, epsilon: Float = 1e-8,
        momentum: Float = 0, weightDecay: Float = 0
    ) {
        self.learningRate = learningRate
        self.alpha = alpha
        self.epsilon = epsilon
        self.momentum = momentum
        self.weightDecay = weightDecay
        state = OptimizerState(parameters: parameters, bufferCount: momentum != 0 ? 2 : 1)
    }

    /// The short name used in settings and logs.
    public var name: String { "rmsprop" }

    /// The hyperparameters and step count.
    public var stateDescription: String {
        "rmsprop lr=\(learningRate) alpha=\(alpha) epsilon=\(epsilon) momentum=\(momentum) weightDecay=\(weightDecay) step=\(steps)"
    }

    /// Applies one update from the current gradients.
    public func step() {
        steps += 1
        let lr = learningRate, a = alpha, a1 = 1 - alpha, mu = momentum, eps = epsilon
        for i in state.parameters.indices where state.parameters[i].trainable {
            let p = state.parameters[i]
            let n = state.count(i)
            let w = p.value.data, g = p.gradient.data
            let s = state.buffers[0] + state.offsets[i]
            let wd: Float = p.decays ? weightDecay : 0
            if mu == 0 {
                for j in 0..<n {
                    let d = g[j] + wd * w[j]
                    let sj = a * s[j] + a1 * d * d
                    s[j] = sj
                    w[j] -= lr * (d / (sj.squareRoot() + eps))
                }
            } else {
                let buf = state.buffers[1] + state.offsets[i]
                for j in 0..<n {
                    let d = g[j] + wd * w[j]
                    let sj = a * s[j] + a1 * d * d
                    s[j] = sj
                    let b = mu * buf[j] + d / (sj.squareRoot() + eps)
                    buf[j] = b
                    w[j] -= lr * b
                }
            }
        }
    }
}
