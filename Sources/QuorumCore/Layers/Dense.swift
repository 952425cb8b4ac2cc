/// A fully connected layer: y = x·Wᵀ + b, with W stored `[out, in]` as PyTorch's `nn.Linear` does.
public final class Dense: Layer {
    /// Input features.
    public let inFeatures: Int
    /// Output features.
    public let outFeatures: Int
    /// `[outFeatures, inFeatures]`.
    public let weight: Parameter
    /// `[outFeatures]`.
    public let bias: Parameter
    /// `[inFeatures]`.
    public var inputShape: [Int] { [inFeatures] }
    /// `[outFeatures]`.
    public var outputShape: [Int] { [outFeatures] }

    private let output = Tensor(shape: [0])
    private let gradInput = Tensor(shape: [0])
    /// The last forward's input, needed for dW.
    private var lastInput: Tensor?

    /// A dense layer from `inFeatures` to `outFeatures`.
    /// Traps on non-positive feature counts.
    public init(inFeatures: Int, outFeatures: Int) {
        precondition(
            inFeatures > 0 && outFeatures > 0,
            "dense(\(outFeatures)): feature counts must be positive, got \(inFeatures) -> \(outFeatures)")
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        weight = Parameter(name: "weight", shape: [outFeatures, inFeatures], decays: true)
        bias = Parameter(name: "bias", shape: [outFeatures], decays: false)
    }

    /// A dense layer over a flat per-sample `inputShape` = `[F]`, like the other layers' initialisers.
    /// Traps on arguments that `validate` rejects.
    public convenience init(inputShape: [Int], outFeatures: Int) {
        do { try Dense.validate(inputShape: inputShape, outFeatures: outFeatures) } catch {
            preconditionFailure("\(error)")
        }
        self.init(inFeatures: inputShape[0], outFeatures: outFeatures)
    }

    /// Checks that a dense layer can follow a layer whose per-sample output is `inputShape`.
    public static func validate(inputShape: [Int], outFeatures: Int) throws {
        let name = "dense(\(outFeatures))"
        guard outFeatures > 0 else {
            throw LayerError.invalidArgument(layer: name, detail: "output features must be positive")
        }
        guard inputShape.count == 1, inputShape[0] > 0 else {
            throw LayerError.needsFlatInput(layer: name, inputShape: inputShape)
        }
    }

    /// `dense(128)`.
    public var spec: String { "dense(\(outFeatures))" }

    /// Weight then bias.
    public var parameters: [Parameter] { [weight, bias] }

    /// 2 · in · out.
    public var forwardFLOPs: Int { 2 * inFeatures * outFeatures }

    // input (N, in) -> output (N, out)
    /// One GEMM on top of the broadcast bias.
    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        precondition(input.itemCount == inFeatures, "Dense expects items of [\(inFeatures)], got \(input.shape)")
        let n = input.batch
        lastInput = input
        output.resize(to: [n, outFeatures])
        let out = output.data, b = bias.value.data
        for r in 0..<n { (out + r * outFeatures).update(from: b, count: outFeatures) }
        DNNL.sgemm(
            transB: true, m: n, n: outFeatures, k: inFeatures, a: input.data, b: weight.value.data,
            beta: 1, c: out)
        return output
    }

    /// dW += dYᵀ·X, db += Σ dY, dX = dY·W.
    public func backward(_ gradOutput: Tensor, needInputGradient: Bool) -> Tensor? {
        guard let input = lastInput else { preconditionFailure("Dense.backward called before forward") }
        let n = input.batch
        precondition(gradOutput.count == n * outFeatures, "Dense.backward: gradient shape \(gradOutput.shape)")
        if weight.trainable {
            DNNL.sgemm(
                transA: true, m: outFeatures, n: inFeatures, k: n, a: gradOutput.data, b: input.data,
                beta: 1, c: weight.gradient.data)
        }
        if bias.trainable { addColumnSums(gradOutput.data, rows: n, columns: outFeatures, into: bias.gradient.data) }
        guard needInputGradient else { return nil }
        gradInput.resize(to: input.shape)
        DNNL.sgemm(m: n, n: inFeatures, k: outFeatures, a: gradOutput.data, b: weight.value.data, c: gradInput.data)
        return gradInput
    }
}
