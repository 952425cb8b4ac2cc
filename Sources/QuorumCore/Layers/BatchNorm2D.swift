/// Batch normalisation per channel (the last dimension) over all other positions: per channel over
/// N, H, W for `[N, H, W, C]` images, per feature over N for `[N, F]` features.
///
/// Training normalises with the batch's biased variance and moves the running statistics towards the
/// batch mean and *unbiased* variance by `momentum`, exactly as PyTorch's `BatchNorm2d` does; evaluation
/// normalises with the running statistics.
public final class BatchNorm2D: Layer {
    /// Any per-sample shape; the last dimension is the channel.
    public let inputShape: [Int]
    /// Same as `inputShape`.
    public var outputShape: [Int] { inputShape }
    /// The weight of the newest batch in the running statistics.
    public let momentum: Float
    /// Added to the variance before the square root.
    public let epsilon: Float
    /// Per-channel scale γ, initially 1.
    public let weight: Parameter
    /// Per-channel shift β, initially 0.
    public let bias: Parameter
    /// Running mean per channel, initially 0.
    public let runningMean: Parameter
    /// Running (unbiased) variance per channel, initially 1.
    public let runningVar: Parameter

    private let channels: Int
    private let output = Tensor(shape: [0])
    private let gradInput = Tensor(shape: [0])
    /// The normalised input of the last forward, kept for backward.
    private let normalized = Tensor(shape: [0])
    /// 1 / sqrt(var + eps) per channel, of the statistics the last forward used.
    private let inverseStd: Tensor
    /// −mean per channel of the statistics the last forward used.
    private let negatedMean: Tensor
    /// Per-channel scratch for backward: γ / σ and the mean of dY.
    private let scale: Tensor, shift: Tensor
    /// Per-channel Double accumulators, reused by every forward and backward.
    private let sumA: UnsafeMutablePointer<Double>, sumB: UnsafeMutablePointer<Double>
    private var lastWasTraining = false

    /// Batch normalisation over samples of `inputShape` (`[H, W, C]` or `[F]`).
    /// Traps on arguments that `validate` rejects.
    public init(inputShape: [Int], momentum: Float = 0.1, epsilon: Float = 1e-5) {
        do { try BatchNorm2D.validate(inputShape: inputShape, momentum: momentum, epsilon: epsilon) } catch {
            preconditionFailure("\(error)")
        }
        self.inputShape = inputShape
        self.momentum = momentum
        self.epsilon = epsilon
        channels = inputShape[inputShape.count - 1]
        weight = Parameter(name: "weight", shape: [channels], decays: false)
        bias = Parameter(name: "bias", shape: [channels], decays: false)
        runningMean = Parameter(name: "running_mean", shape: [channels], decays: false)
        runningVar = Parameter(name: "running_var", shape: [channels], decays: false)
        runningMean.trainable = false
        runningVar.trainable = false
        weight.value.fill(1)
        runningVar.value.fill(1)
        inverseStd = Tensor(shape: [channels])
        negatedMean = Tensor(shape: [channels])
        scale = Tensor(shape: [channels])
        shift = Tensor(shape: [channels])
        sumA = .allocate(capacity: channels)
        sumB = .allocate(capacity: channels)
        sumA.initialize(repeating: 0, count: channels)
        sumB.initialize(repeating: 0, count: channels)
    }

    deinit {
        sumA.deallocate()
        sumB.deallocate()
    }

    /// Checks the input shape (`[H, W, C]` or `[F]`) and that momentum is in [0, 1] and epsilon positive.
    public static func validate(inputShape: [Int], momentum: Float = 0.1, epsilon: Float = 1e-5) throws {
        guard inputShape.count == 1 || inputShape.count == 3, inputShape.allSatisfy({ $0 > 0 }) else {
            throw LayerError.invalidArgument(
                layer: "batchnorm",
                detail: "expected an [H, W, C] or [F] input, got \(inputShape)")
        }
        guard momentum >= 0, momentum <= 1, epsilon > 0 else {
            throw LayerError.invalidArgument(
                layer: "batchnorm",
                detail: "momentum \(momentum) must be in [0, 1] "
                    + "and epsilon \(epsilon) positive")
        }
    }

    /// `batchnorm`, with `(momentum=…,eps=…)` when either differs from PyTorch's defaults.
    public var spec: String {
        momentum == 0.1 && epsilon == 1e-5 ? "batchnorm" : "batchnorm(momentum=\(momentum),eps=\(epsilon))"
    }
    /// γ then β.
    public var parameters: [Parameter] { [weight, bias] }
    /// running_mean then running_var.
    public var buffers: [Parameter] { [runningMean, runningVar] }
    /// One multiply-add per element.
    public var forwardFLOPs: Int { 2 * inputShape.reduce(1, *) }

    // input (N, ..., C) -> output (N, ..., C)
    /// Normalises with batch statistics in training (updating the running ones), running ones otherwise.
    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        let c = channels
        precondition(
            input.itemCount == inputShape.reduce(1, *),
            "BatchNorm2D expects items of \(inputShape), got \(input.shape)")
        let rows = input.count / c
        lastWasTraining = training
        output.resize(to: input.shape)
        normalized.resize(to: input.shape)
        let x = input.data, inv = inverseStd.data
        let mean = runningMean.value.data, variance = runningVar.value.data
        if training {
            sumA.update(repeating: 0, count: c)
            sumB.update(repeating: 0, count: c)
            for r in 0..<rows {
                let row = x + r * c
                for ch in 0..<c { sumA[ch] += Double(row[ch]) }
            }
            for ch in 0..<c { sumA[ch] /= Double(rows) }
            // Two passes (mean, then squared deviations) so large means do not cancel the variance.
            for r in 0..<rows {
                let row = x + r * c
                for ch in 0..<c {
                    let d = Double(row[ch]) - sumA[ch]
                    sumB[ch] += d * d
                }
            }
            // A single value per channel (a batch of one flat sample) has no unbiased variance: PyTorch
            // refuses it; here the running statistics are left alone so a short last batch cannot end a run.
            let m = rows > 1 ? Double(momentum) : 0, unbias = Double(rows) / Double(max(rows - 1, 1))
            for ch in 0..<c {
                let batchVar = sumB[ch] / Double(rows)
                inv[ch] = Float(1 / (batchVar + Double(epsilon)).squareRoot())
                negatedMean.data[ch] = Float(-sumA[ch])
                mean[ch] = Float((1 - m) * Double(mean[ch]) + m * sumA[ch])
                variance[ch] = Float((1 - m) * Double(variance[ch]) + m * batchVar * unbias)
            }
        } else {
            for ch in 0..<c {
                inv[ch] = 1 / (variance[ch] + epsilon).squareRoot()
                negatedMean.data[ch] = -mean[ch]
            }
        }
        let negMean = negatedMean.data, gamma = weight.value.data, beta = bias.value.data, xhat = normalized.data
        let y = output.data
        for r in 0..<rows {
            let o = r * c
            for ch in 0..<c {
                let h = (x[o + ch] + negMean[ch]) * inv[ch]
                xhat[o + ch] = h
                y[o + ch] = h * gamma[ch] + beta[ch]
            }
        }
        return output
    }

    /// Accumulates dγ = Σ dy·x̂ and dβ = Σ dy; dX goes through the batch statistics in training mode and
    /// through the fixed running statistics in evaluation mode (frozen normalisation when fine-tuning).
    public func backward(_ gradOutput: Tensor, needInputGradient: Bool) -> Tensor? {
        let c = channels, rows = normalized.count / c
        precondition(gradOutput.count == normalized.count, "BatchNorm2D.backward: gradient shape \(gradOutput.shape)")
        let dy = gradOutput.data, xhat = normalized.data
        sumA.update(repeating: 0, count: c)
        sumB.update(repeating: 0, count: c)
        for r in 0..<rows {
            let o = r * c
            for ch in 0..<c {
                let g = Double(dy[o + ch])
                sumA[ch] += g
                sumB[ch] += g * Double(xhat[o + ch])
            }
        }
        if weight.trainable { for ch in 0..<c { weight.gradient.data[ch] += Float(sumB[ch]) } }
        if bias.trainable { for ch in 0..<c { bias.gradient.data[ch] += Float(sumA[ch]) } }
        guard needInputGradient else { return nil }
        gradInput.resize(to: normalized.shape)
        let dx = gradInput.data, gamma = weight.value.data, inv = inverseStd.data
        for ch in 0..<c { scale.data[ch] = gamma[ch] * inv[ch] }
        let k = scale.data
        if lastWasTraining {
            for ch in 0..<c {
                shift.data[ch] = Float(sumA[ch] / Double(rows))
                sumB[ch] /= Double(rows)
            }
            let meanDy = shift.data
            for r in 0..<rows {
                let o = r * c
                for ch in 0..<c {
                    dx[o + ch] = k[ch] * (dy[o + ch] - meanDy[ch] - xhat[o + ch] * Float(sumB[ch]))
                }
            }
        } else {
            for r in 0..<rows {
                let o = r * c
                for ch in 0..<c { dx[o + ch] = k[ch] * dy[o + ch] }
            }
        }
        return gradInput
    }
}
