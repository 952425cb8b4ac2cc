#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// SWATS (Keskar & Socher, 2017, "Improving Generalization Performance by Switching from Adam to SGD"):
/// Adam first, then SGD with momentum at a learning rate estimated from Adam's own steps.
///
/// After each Adam step k (with update p over all trainable parameters and gradient g) it takes the
/// projection γ = pᵀp / (−pᵀg) (skipped when pᵀg = 0) and the running average λ ← β₂λ + (1−β₂)γ, and
/// switches when k > 1 and |λ/(1−β₂ᵏ) − γ| < `switchTolerance`, with the SGD rate Λ = λ/(1−β₂ᵏ);
/// an estimate that is not positive and finite never triggers the switch.
/// With `switchAtEpoch` the rule is off and the switch happens when `beginEpoch` reaches that epoch,
/// at `sgdLearningRate` if given, else at the current estimate (else at the Adam rate).
///
/// The SGD phase is the paper's: `v = β₁·v + g` (v starts at zero), `p -= (1−β₁)·Λ·v`, which is
/// PyTorch's SGD with momentum β₁ and dampening β₁. A schedule keeps acting after the switch: Λ is
/// scaled by `learningRate` over the rate in force at the switch (or, for a forced switch, at the
/// first SGD step). Weight decay, if any, is an L2 term in both phases.
public final class AdamThenSGD: Optimizer {
    /// Adam's step size α; after the switch it only scales Λ relative to its value at the switch.
    public var learningRate: Float
    /// Adam's first-moment decay, and the SGD phase's momentum.
    public let beta1: Float
    /// Adam's second-moment decay, and the decay of the running learning-rate estimate λ.
    public let beta2: Float
    /// Adam's denominator guard.
    public let epsilon: Float
    /// The L2 penalty added to the gradient of decaying parameters.
    public let weightDecay: Float
    /// How close the bias-corrected estimate must come to the latest projection to switch (the paper's ε).
    public let switchTolerance: Double
    /// The epoch at which to switch regardless of the estimate, or nil to follow the rule.
    public let switchAtEpoch: Int?
    /// Whether the SGD phase has started.
    public private(set) var switched = false
    /// The number of the last Adam step, once switched.
    public private(set) var switchStep: Int?
    /// The SGD rate Λ: the requested one before a forced switch, the one in use after any switch.
    public private(set) var sgdLearningRate: Float?
    /// How many steps have been taken in both phases.
    public private(set) var steps = 0
    /// The latest projection γ, or nil before the first step with pᵀg ≠ 0.
    public private(set) var projection: Double?

    private var lambda: Double = 0
    private var referenceRate: Float?
    // Buffer 0 holds Adam's first moment, then (zeroed at the switch) the SGD momentum; buffer 1 Adam's second.
    private let state: OptimizerState

    /// An optimizer over `parameters`. Pass `switchAtEpoch` (and optionally `sgdLearningRate`) to force
    /// the switch; otherwise the paper's rule decides.
    public init(
        parameters: [Parameter], learningRate: Float, beta1: Float = 0.9, beta2: Float = 0.999,
        epsilon: Float = 1e-8, weightDecay: Float = 0, switchTolerance: Double = 1e-9,
        switchAtEpoch: Int? = nil, sgdLearningRate: Float? = nil
    ) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.switchTolerance = switchTolerance
        self.switchAtEpoch = switchAtEpoch
        self.sgdLearningRate = sgdLearningRate
        state = OptimizerState(parameters: parameters, bufferCount: 2)
    }

    /// The short name used in settings and logs.
    public var name: String { "adam-sgd" }

    /// The bias-corrected estimate λ/(1−β₂ᵏ) of the SGD rate, or nil before any estimate exists.
    public var estimatedSGDLearningRate: Double? {
        guard projection != nil else { return nil }
        return lambda / (1 - pow(Double(beta2), Double(steps)))
    }

    /// The rate the next SGD step uses, once switched.
    public var currentSGDLearningRate: Float? {
        guard switched, let rate = sgdLearningRate else { return nil }
        guard let reference = referenceRate, reference > 0 else { return rate }
        return rate * (learningRate / reference)
    }

    /// The phase, the hyperparameters and the switch.
    public var stateDescription: String {
        if switched {
            return "adam-sgd phase=sgd since step \(switchStep ?? 0) sgdLearningRate=\(currentSGDLearningRate ?? 0) "
                + "momentum=\(beta1) weightDecay=\(weightDecay) step=\(steps)"
        }
        let estimate = estimatedSGDLearningRate.map { "\($0)" } ?? "none"
        return "adam-sgd phase=adam lr=\(learningRate) beta1=\(beta1) beta2=\(beta2) epsilon=\(epsilon) "
            + "weightDecay=\(weightDecay) estimate=\(estimate) step=\(steps)"
    }

    /// Forces the switch when `switchAtEpoch` is set and reached.
    public func beginEpoch(_ epoch: Int) {
        guard let at = switchAtEpoch, !switched, epoch >= at else { return }
        let estimate = estimatedSGDLearningRate.flatMap { $0 > 0 && $0.isFinite ? Float($0) : nil }
        enterSGD(rate: sgdLearningRate ?? estimate ?? learningRate, reference: nil)
    }

    /// Applies one update from the current gradients, in the current phase.
    public func step() {
        steps += 1
        if switched { sgdStep() } else { adamStep() }
    }

    private func enterSGD(rate: Float, reference: Float?) {
        switched = true
        switchStep = steps
        sgdLearningRate = rate
        referenceRate = reference
        state.buffers[0].update(repeating: 0, count: max(state.total, 1))
    }

    private func adamStep() {
        let t = Double(steps)
        let stepSize = Float(Double(learningRate) / (1 - pow(Double(beta1), t)))
        let correction2 = Float((1 - pow(Double(beta2), t)).squareRoot())
        let b1 = beta1, b2 = beta2, a1 = 1 - beta1, a2 = 1 - beta2, eps = epsilon
        var pp = 0.0, pg = 0.0
        for i in state.parameters.indices where state.parameters[i].trainable {
            let p = state.parameters[i]
            let n = state.count(i)
            let w = p.value.data, g = p.gradient.data
            let m = state.buffers[0] + state.offsets[i], v = state.buffers[1] + state.offsets[i]
            let wd: Float = p.decays ? weightDecay : 0
            for j in 0..<n {
                let d = g[j] + wd * w[j]
                let mj = b1 * m[j] + a1 * d
                let vj = b2 * v[j] + a2 * d * d
                m[j] = mj
                v[j] = vj
                let delta = -stepSize * mj / (vj.squareRoot() / correction2 + eps)
                w[j] += delta
                // Double sums: the switch compares numbers that agree to many digits.
                pp += Double(delta) * Double(delta)
                pg += Double(delta) * Double(d)
            }
        }
        guard pg != 0 else { return }
        let gamma = pp / -pg
        let decay = Double(beta2)
        lambda = decay * lambda + (1 - decay) * gamma
        projection = gamma
        guard switchAtEpoch == nil, steps > 1 else { return }
        let estimate = lambda / (1 - pow(decay, t))
        if estimate > 0, estimate.isFinite, abs(estimate - gamma) < switchTolerance {
            enterSGD(rate: Float(estimate), reference: learningRate)
        }
    }

    private func sgdStep() {
        if referenceRate == nil { referenceRate = learningRate }
        let rate = currentSGDLearningRate ?? 0
        let mu = beta1, scale = (1 - beta1) * rate
        for i in state.parameters.indices where state.parameters[i].trainable {
            let p = state.parameters[i]
            let n = state.count(i)
            let w = p.value.data, g = p.gradient.data
            let buf = state.buffers[0] + state.offsets[i]
            let wd: Float = p.decays ? weightDecay : 0
            for j in 0..<n {
                let b = mu * buf[j] + (g[j] + wd * w[j])
                buf[j] = b
                w[j] -= scale * b
            }
        }
    }
}
