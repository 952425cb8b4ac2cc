/// Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay.
///
/// PyTorch's semantics (dampening 0): `g = grad + wd·p` (decaying parameters only),
/// `buf = μ·buf + g` (the first step sets `buf = g`, which a zero buffer gives too),
/// then `p -= lr·(g + μ·buf)` with Nesterov or `p -= lr·buf` without; with `μ = 0`, `p -= lr·g`.
public final class SGD: Optimizer {
    /// The step size.
    public var learningRate: Float
    /// The momentum factor μ (0 for plain SGD).
    public let momentum: Float
    /// Whether the update looks ahead along the momentum (requires `momentum > 0`).
    public let nesterov: Bool
    /// The L2 penalty added to the gradient of decaying parameters.
    public let weightDecay: Float
    /// How many steps have been taken.
    public private(set) var steps = 0

    private let state: OptimizerState

    /// An optimizer over `parameters`; Nesterov needs a positive momentum.
    public init(
        parameters: [Parameter], learningRate: Float, momentum: Float = 0, nesterov: Bool = false,
        weightDecay: Float = 0
    ) {
        precondition(!nesterov || momentum > 0, "SGD: Nesterov momentum needs momentum > 0")
        self.learningRate = learningRate
        self.momentum = momentum
        self.nesterov = nesterov
        self.weightDecay = weightDecay
        state = OptimizerState(parameters: parameters, bufferCount: momentum != 0 ? 1 : 0)
    }

    /// The short name used in settings and logs.
    public var name: String { "sgd" }

    /// The hyperparameters and step count.
    public var stateDescription: String {
        "sgd lr=\(learningRate) momentum=\(momentum)\(nesterov ? " nesterov" : "") weightDecay=\(weightDecay) step=\(steps)"
    }

    /// Applies one update from the current gradients.
    public func step() {
        steps += 1
        let lr = learningRate, mu = momentum
        for i in state.parameters.indices where state.parameters[i].trainable {
            let p = state.parameters[i]
            let n = state.count(i)
            let w = p.value.data, g = p.gradient.data
            let wd: Float = p.decays ? weightDecay : 0
            if mu == 0 {
                for j in 0..<n { w[j] -= lr * (g[j] + wd * w[j]) }
                continue
            }
            let buf = state.buffers[0] + state.offsets[i]
            if nesterov {
                for j in 0..<n {
                    let d = g[j] + wd * w[j]
                    let b = mu * buf[j] + d
                    buf[j] = b
                    w[j] -= lr * (d + mu * b)
                }
            } else {
                for j in 0..<n {
                    let b = mu * buf[j] + (g[j] + wd * w[j])
                    buf[j] = b
                    w[j] -= lr * b
                }
            }
        }
    }
}
