/// Average pooling over square windows of NHWC images, without padding.
public final class AvgPool2D: Layer {
    /// Window height and width.
    public let size: Int
    /// Step between windows.
    public let stride: Int
    /// `[H, W, C]`.
    public let inputShape: [Int]
    /// `[OH, OW, C]`.
    public let outputShape: [Int]
    private let height: Int, width: Int, channels: Int, outHeight: Int, outWidth: Int
    private let output = Tensor(shape: [0])
    private let gradInput = Tensor(shape: [0])

    /// An average pool of `size`×`size` windows every `stride` pixels (`stride` defaults to `size`).
    /// Traps on arguments that `validate` rejects.
    public init(inputShape: [Int], size: Int, stride: Int? = nil) {
        do { try AvgPool2D.validate(inputShape: inputShape, size: size, stride: stride) } catch {
            preconditionFailure("\(error)")
        }
        let stride = stride ?? size
        self.size = size
        self.stride = stride
        self.inputShape = inputShape
        (height, width, channels) = (inputShape[0], inputShape[1], inputShape[2])
        outHeight = (height - size) / stride + 1
        outWidth = (width - size) / stride + 1
        outputShape = [outHeight, outWidth, channels]
    }

    /// Checks that this pool can follow a layer whose per-sample output is `inputShape`.
    public static func validate(inputShape: [Int], size: Int, stride: Int? = nil) throws {
        try PoolWindow.validate(kind: "avgpool", inputShape: inputShape, size: size, stride: stride)
    }

    /// `avgpool2`, or `avgpool3(stride=2)` when the stride differs from the size.
    public var spec: String { stride == size ? "avgpool\(size)" : "avgpool\(size)(stride=\(stride))" }
    /// One addition per window element.
    public var forwardFLOPs: Int { outHeight * outWidth * channels * size * size }

    // input (N, H, W, C) -> output (N, OH, OW, C)
    /// Averages each window per channel.
    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        precondition(
            input.itemCount == height * width * channels,
            "AvgPool2D expects items of \(inputShape), got \(input.shape)")
        let n = input.batch, c = channels, scale = 1 / Float(size * size)
        output.resize(to: [n, outHeight, outWidth, c])
        output.zero()
        let x = input.data
        var y = output.data
        for image in 0..<n {
            for oy in 0..<outHeight {
                for ox in 0..<outWidth {
                    for ky in 0..<size {
                        for kx in 0..<size {
                            let src = x + ((image * height + oy * stride + ky) * width + ox * stride + kx) * c
                            for ch in 0..<c { y[ch] += src[ch] }
                        }
                    }
                    for ch in 0..<c { y[ch] *= scale }
                    y += c
                }
            }
        }
        return output
    }

    /// Spreads each output gradient evenly over its window.
    public func backward(_ gradOutput: Tensor, needInputGradient: Bool) -> Tensor? {
        guard needInputGradient else { return nil }
        let n = gradOutput.batch, c = channels, scale = 1 / Float(size * size)
        gradInput.resize(to: [n, height, width, c])
        gradInput.zero()
        let dx = gradInput.data
        var dy = UnsafePointer(gradOutput.data)
        for image in 0..<n {
            for oy in 0..<outHeight {
                for ox in 0..<outWidth {
                    for ky in 0..<size {
                        for kx in 0..<size {
                            let dst = dx + ((image * height + oy * stride + ky) * width + ox * stride + kx) * c
                            for ch in 0..<c { dst[ch] += dy[ch] * scale }
                        }
                    }
                    dy += c
                }
            }
        }
        return gradInput
    }
}
