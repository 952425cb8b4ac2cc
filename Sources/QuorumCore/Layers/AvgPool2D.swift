/// Average pooling over square windows of NHWC images, without padding.
public final class AvgPool2D: Layer {
    /// Window height and width.
    public var size: Int { window.size }
    /// Step between windows.
    public var stride: Int { window.stride }
    /// `[H, W, C]`.
    public let inputShape: [Int]
    /// `[OH, OW, C]`.
    public var outputShape: [Int] { window.outputShape }
    private let window: PoolWindow
    private let output = Tensor(shape: [0])
    private let gradInput = Tensor(shape: [0])

    /// An average pool of `size`×`size` windows every `stride` pixels (`stride` defaults to `size`).
    /// Traps on arguments that `validate` rejects.
    public init(inputShape: [Int], size: Int, stride: Int? = nil) {
        window = PoolWindow(kind: "avgpool", inputShape: inputShape, size: size, stride: stride)
        self.inputShape = inputShape
    }

    /// Checks that this pool can follow a layer whose per-sample output is `inputShape`.
    public static func validate(inputShape: [Int], size: Int, stride: Int? = nil) throws {
        try PoolWindow.validate(kind: "avgpool", inputShape: inputShape, size: size, stride: stride)
    }

    /// `avgpool2`, or `avgpool3(stride=2)` when the stride differs from the size.
    public var spec: String { window.spec }
    /// One addition per window element.
    public var forwardFLOPs: Int { window.forwardFLOPs }

    // input (N, H, W, C) -> output (N, OH, OW, C)
    /// Averages each window per channel.
    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        let (height, width, c) = (window.height, window.width, window.channels)
        precondition(
            input.itemCount == height * width * c, "AvgPool2D expects items of \(inputShape), got \(input.shape)")
        let n = input.batch, scale = 1 / Float(size * size)
        output.resize(to: [n, window.outHeight, window.outWidth, c])
        output.zero()
        let x = input.data, y = output.data
        window.forEachElement(batch: n) { out, offset in
            for ch in 0..<c { y[out + ch] += x[offset + ch] }
        }
        for i in 0..<output.count { y[i] *= scale }
        return output
    }

    /// Spreads each output gradient evenly over its window.
    public func backward(_ gradOutput: Tensor, needInputGradient: Bool) -> Tensor? {
        guard needInputGradient else { return nil }
        let n = gradOutput.batch, c = window.channels, scale = 1 / Float(size * size)
        gradInput.resize(to: [n, window.height, window.width, c])
        gradInput.zero()
        let dx = gradInput.data, dy = UnsafePointer(gradOutput.data)
        window.forEachElement(batch: n) { out, offset in
            for ch in 0..<c { dx[offset + ch] += dy[out + ch] * scale }
        }
        return gradInput
    }
}
