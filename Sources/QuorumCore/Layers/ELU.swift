#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// x for x > 0, alpha · (eˣ − 1) otherwise, element-wise, for any per-sample shape.
public final class ELU: Layer {
    /// Any per-sample shape; the output has the same.
    public let inputShape: [Int]
    /// Same as `inputShape`.
    public var outputShape: [Int] { inputShape }
    /// The value the negative side saturates to (as −alpha).
    public let alpha: Float
    private let output = Tensor(shape: [0])
    private let gradInput = Tensor(shape: [0])
    private var lastInput: Tensor?

    /// An ELU over samples of `inputShape`.
    public init(inputShape: [Int], alpha: Float = 1) {
        self.inputShape = inputShape
        self.alpha = alpha
    }

    /// `elu(1.0)`.
    public var spec: String { "elu(\(alpha))" }
    /// About one operation per element.
    public var forwardFLOPs: Int { inputShape.reduce(1, *) }

    /// y = x > 0 ? x : alpha · (eˣ − 1).
    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        lastInput = input
        output.resize(to: input.shape)
        let x = input.data, y = output.data, a = alpha
        for i in 0..<input.count { y[i] = x[i] > 0 ? x[i] : a * expm1f(x[i]) }
        return output
    }

    /// dX = dY for positive inputs, dY · (y + alpha) otherwise (the derivative alpha · eˣ, reusing y).
    public func backward(_ gradOutput: Tensor, needInputGradient: Bool) -> Tensor? {
        guard needInputGradient else { return nil }
        guard let input = lastInput else { preconditionFailure("ELU.backward called before forward") }
        gradInput.resize(to: input.shape)
        let x = input.data, y = output.data, dy = gradOutput.data, dx = gradInput.data, a = alpha
        for i in 0..<input.count { dx[i] = x[i] > 0 ? dy[i] : dy[i] * (y[i] + a) }
        return gradInput
    }
}
