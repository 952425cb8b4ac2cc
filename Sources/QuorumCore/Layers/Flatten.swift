/// `[N, H, W, C]` -> `[N, C·H·W]` in CHW order, PyTorch's flatten order, so the weights of a following
/// Dense layer mean the same in both frameworks.
public final class Flatten: Layer {
    /// `[H, W, C]` (or an already flat `[F]`).
    public let inputShape: [Int]
    /// `[C·H·W]`.
    public var outputShape: [Int] { [features] }
    private let features: Int
    private let pixels: Int, channels: Int
    private let output = Tensor(shape: [0])
    private let gradInput = Tensor(shape: [0])
    private var lastInputShape: [Int] = []

    /// A flatten over samples of `inputShape`.
    public init(inputShape: [Int]) {
        self.inputShape = inputShape
        features = inputShape.reduce(1, *)
        if inputShape.count == 3 {
            pixels = inputShape[0] * inputShape[1]
            channels = inputShape[2]
        } else {
            pixels = features
            channels = 1
        }
    }

    /// `flatten`.
    public var spec: String { "flatten" }
    /// A copy, no arithmetic.
    public var forwardFLOPs: Int { 0 }

    /// Whether HWC and CHW orders coincide, making the permutation a plain copy.
    private var isCopy: Bool { pixels == 1 || channels == 1 }

    // input (N, H, W, C) -> output (N, C·H·W)
    /// out[n, c·HW + p] = in[n, p·C + c].
    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        precondition(input.itemCount == features, "Flatten expects items of \(inputShape), got \(input.shape)")
        let n = input.batch
        lastInputShape = input.shape
        output.resize(to: [n, features])
        if isCopy {
            output.data.update(from: input.data, count: input.count)
        } else {
            transpose(input.data, into: output.data, batch: n, rows: pixels, columns: channels)
        }
        return output
    }

    /// The inverse permutation: in[n, p·C + c] = out[n, c·HW + p].
    public func backward(_ gradOutput: Tensor, needInputGradient: Bool) -> Tensor? {
        guard needInputGradient else { return nil }
        let n = gradOutput.batch
        gradInput.resize(to: lastInputShape)
        if isCopy {
            gradInput.data.update(from: gradOutput.data, count: gradOutput.count)
        } else {
            transpose(gradOutput.data, into: gradInput.data, batch: n, rows: channels, columns: pixels)
        }
        return gradInput
    }

    /// Transposes every sample's `[rows, columns]` matrix.
    private func transpose(
        _ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>,
        batch n: Int, rows: Int, columns: Int
    ) {
        let size = rows * columns
        for image in 0..<n {
            let s = src + image * size, d = dst + image * size
            for r in 0..<rows {
                for c in 0..<columns { d[c * rows + r] = s[r * columns + c] }
            }
        }
    }
}
