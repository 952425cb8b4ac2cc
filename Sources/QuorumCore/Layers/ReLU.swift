/// max(0, x), element-wise, for any per-sample shape.
public final class ReLU: Layer {
    /// Any per-sample shape; the output has the same.
    public let inputShape: [Int]
    /// Same as `inputShape`.
    public var outputShape: [Int] { inputShape }
    private let output = Tensor(shape: [0])
    private let gradInput = Tensor(shape: [0])
    /// Whether the following max-pool applies this ReLU (set by `Sequential`): this layer then passes
    /// values and gradients through untouched, and its output is not rectified on its own.
    var foldedIntoNext = false

    /// A ReLU over samples of `inputShape`.
    public init(inputShape: [Int]) { self.inputShape = inputShape }

    /// `relu`.
    public var spec: String { "relu" }
    /// One comparison per element.
    public var forwardFLOPs: Int { inputShape.reduce(1, *) }

    /// y = max(0, x).
    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        if foldedIntoNext { return input }
        output.resize(to: input.shape)
        let x = input.data, y = output.data
        for i in 0..<input.count { y[i] = max(x[i], 0) }
        return output
    }

    /// dX = dY where the output is positive (the same set as a positive input), else 0.
    public func backward(_ gradOutput: Tensor, needInputGradient: Bool) -> Tensor? {
        guard needInputGradient else { return nil }
        if foldedIntoNext { return gradOutput }
        gradInput.resize(to: output.shape)
        let y = output.data, dy = gradOutput.data, dx = gradInput.data
        // Both loads happen unconditionally so the choice compiles to a blend, not a branch that
        // mispredicts on every other element of random-signed activations.
        for i in 0..<output.count {
            let g = dy[i], v = y[i]
            dx[i] = v > 0 ? g : 0
        }
        return gradInput
    }
}
