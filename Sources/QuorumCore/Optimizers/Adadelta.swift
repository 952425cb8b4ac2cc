/// Adadelta (Zeiler, 2012) with L2 weight decay.
///
/// PyTorch's semantics: `g = grad + wd·p` (decaying parameters only), `s = ρ·s + (1−ρ)·g²`,
/// `Δ = √(u + ε) / √(s + ε) · g`, `u = ρ·u + (1−ρ)·Δ²`, `p -= lr·Δ`. The learning rate only scales the
/// self-tuned step, so 1.0 is the usual value.
public final class Adadelta: Optimizer {
    /// The factor on the self-tuned step.
    public var learningRate: Float
    /// The decay rate ρ of both running averages.
    public let rho: Float
    /// Added under both roots; it also sets the size of the first steps.
    public let epsilon: Float
    /// The L2 penalty added to the gradient of decaying parameters.
    public let weightDecay: Float
    /// How many steps have been taken.
    public private(set) var steps = 0

    private let state: OptimizerState

    /// An optimizer over `parameters`; the defaults are PyTorch's.
    public init(
        parameters: [Parameter], learningRate: Float = 1.0, rho: Float = 0.9, epsilon: Float = 1e-6,
        weightDecay: Float = 0
    ) {
        self.learningRate = learningRate
        self.rho = rho
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        state = OptimizerState(parameters: parameters, bufferCount: 2)
    }

    /// The short name used in settings and logs.
    public var name: String { "adadelta" }

    /// The hyperparameters and step count.
    public var stateDescription: String {
        "adadelta lr=\(learningRate) rho=\(rho) epsilon=\(epsilon) weightDecay=\(weightDecay) step=\(steps)"
    }

    /// Applies one update from the current gradients.
    public func step() {
        steps += 1
        let lr = learningRate, r = rho, r1 = 1 - rho, eps = epsilon
        for i in state.parameters.indices where state.parameters[i].trainable {
            let p = state.parameters[i]
            let n = state.count(i)
            let w = p.value.data, g = p.gradient.data
            let s = state.buffers[0] + state.offsets[i]
            let u = state.buffers[1] + state.offsets[i]
            let wd: Float = p.decays ? weightDecay : 0
            for j in 0..<n {
                let d = g[j] + wd * w[j]
                let sj = r * s[j] + r1 * d * d
                s[j] = sj
                let delta = (u[j] + eps).squareRoot() / (sj + eps).squareRoot() * d
                u[j] = r * u[j] + r1 * delta * delta
                w[j] -= lr * delta
            }
        }
    }
}
