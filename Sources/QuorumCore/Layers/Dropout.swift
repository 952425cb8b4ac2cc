/// Inverted dropout: in training each element is zeroed with probability `rate` and the survivors are
/// scaled by 1 / (1 − rate), so evaluation is the identity.
public final class Dropout: Layer {
    /// Any per-sample shape; the output has the same.
    public let inputShape: [Int]
    /// Same as `inputShape`.
    public var outputShape: [Int] { inputShape }
    /// The probability of dropping an element, in [0, 1).
    public let rate: Float
    /// The source of the masks; the model seeds it from the member's seed.
    public var generator = SeededGenerator(seed: 0, purpose: "dropout")
    private let output = Tensor(shape: [0])
    private let gradInput = Tensor(shape: [0])
    /// 0 or 1 / (1 − rate) per element of the last training forward.
    private let mask = Tensor(shape: [0])
    private var lastWasTraining = false

    /// Dropout with the given rate over samples of `inputShape`.
    /// Traps on rates that `validate` rejects.
    public init(inputShape: [Int], rate: Float) {
        do { try Dropout.validate(rate: rate) } catch { preconditionFailure("\(error)") }
        self.inputShape = inputShape
        self.rate = rate
    }

    /// Checks that `rate` is in [0, 1): a rate of 1 would drop everything and divide by zero.
    public static func validate(rate: Float) throws {
        guard rate >= 0, rate < 1 else {
            throw LayerError.invalidArgument(layer: "dropout(\(rate))", detail: "rate must be in [0, 1)")
        }
    }

    /// `dropout(0.25)`.
    public var spec: String { "dropout(\(rate))" }
    /// Nothing at inference.
    public var forwardFLOPs: Int { 0 }

    /// Applies a fresh mask in training; copies the input otherwise.
    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        lastWasTraining = training
        output.resize(to: input.shape)
        guard training && rate > 0 else {
            output.data.update(from: input.data, count: input.count)
            return output
        }
        mask.resize(to: input.shape)
        let keep = 1 / (1 - rate), x = input.data, y = output.data, m = mask.data
        for i in 0..<input.count {
            let k: Float = generator.nextUniform() < rate ? 0 : keep
            m[i] = k
            y[i] = x[i] * k
        }
        return output
    }

    /// Applies the same mask to the gradient (or passes it through after an evaluation forward).
    public func backward(_ gradOutput: Tensor, needInputGradient: Bool) -> Tensor? {
        guard needInputGradient else { return nil }
        gradInput.resize(to: gradOutput.shape)
        let dy = gradOutput.data, dx = gradInput.data
        if lastWasTraining && rate > 0 {
            let m = mask.data
            for i in 0..<gradOutput.count { dx[i] = dy[i] * m[i] }
        } else {
            dx.update(from: dy, count: gradOutput.count)
        }
        return gradInput
    }
}
