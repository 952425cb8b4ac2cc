/// x for x > 0, slope · x otherwise, element-wise, for any per-sample shape.
public final class LeakyReLU: Layer {
    /// Any per-sample shape; the output has the same.
    public let inputShape: [Int]
    /// Same as `inputShape`.
    public var outputShape: [Int] { inputShape }
    /// The factor applied to negative inputs.
    public let slope: Float
    private let output = Tensor(shape: [0])
    private let gradInput = Tensor(shape: [0])
    /// The last forward's input: with a negative slope the output's sign no longer tells the input's.
    private var lastInput: Tensor?

    /// A leaky ReLU over samples of `inputShape` with the given negative-side slope.
    public init(inputShape: [Int], slope: Float = 0.01) {
        self.inputShape = inputShape
        self.slope = slope
    }

    /// `leakyrelu(0.01)`.
    public var spec: String { "leakyrelu(\(slope))" }
    /// One multiply per element.
    public var forwardFLOPs: Int { inputShape.reduce(1, *) }

    /// y = x > 0 ? x : slope · x.
    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        lastInput = input
        output.resize(to: input.shape)
        let x = input.data, y = output.data, a = slope
        for i in 0..<input.count {
            let v = x[i]
            y[i] = v > 0 ? v : a * v
        }
        return output
    }

    /// dX = dY for positive inputs, slope · dY otherwise.
    public func backward(_ gradOutput: Tensor, needInputGradient: Bool) -> Tensor? {
        guard needInputGradient else { return nil }
        guard let input = lastInput else { preconditionFailure("LeakyReLU.backward called before forward") }
        gradInput.resize(to: input.shape)
        let x = input.data, dy = gradOutput.data, dx = gradInput.data, a = slope
        for i in 0..<input.count {
            let g = dy[i]
            dx[i] = x[i] > 0 ? g : a * g
        }
        return gradInput
    }
}
