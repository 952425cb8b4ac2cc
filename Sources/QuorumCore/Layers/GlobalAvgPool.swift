/// The mean of every channel over all pixels: `[H, W, C]` -> `[C]`.
public final class GlobalAvgPool: Layer {
    /// `[H, W, C]`.
    public let inputShape: [Int]
    /// `[C]`.
    public var outputShape: [Int] { [channels] }
    private let pixels: Int, channels: Int
    private let output = Tensor(shape: [0])
    private let gradInput = Tensor(shape: [0])
    private var lastInputShape: [Int] = []

    /// A global average pool over `[H, W, C]` samples.
    /// Traps on shapes that `validate` rejects.
    public init(inputShape: [Int]) {
        do { try GlobalAvgPool.validate(inputShape: inputShape) } catch { preconditionFailure("\(error)") }
        self.inputShape = inputShape
        pixels = inputShape[0] * inputShape[1]
        channels = inputShape[2]
    }

    /// Checks that the per-sample input is an `[H, W, C]` image.
    public static func validate(inputShape: [Int]) throws {
        guard inputShape.count == 3, inputShape.allSatisfy({ $0 > 0 }) else {
            throw LayerError.needsImage(layer: "gap", inputShape: inputShape)
        }
    }

    /// `gap`.
    public var spec: String { "gap" }
    /// One addition per input element.
    public var forwardFLOPs: Int { pixels * channels }

    // input (N, H, W, C) -> output (N, C)
    /// Averages every channel of every sample.
    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        precondition(
            input.itemCount == pixels * channels,
            "GlobalAvgPool expects items of \(inputShape), got \(input.shape)")
        let n = input.batch, c = channels, scale = 1 / Float(pixels)
        lastInputShape = input.shape
        output.resize(to: [n, c])
        output.zero()
        for image in 0..<n {
            let y = output.data + image * c
            var x = UnsafePointer(input.data + image * pixels * c)
            for _ in 0..<pixels {
                for ch in 0..<c { y[ch] += x[ch] }
                x += c
            }
            for ch in 0..<c { y[ch] *= scale }
        }
        return output
    }

    /// Every pixel receives its channel's gradient divided by the pixel count.
    public func backward(_ gradOutput: Tensor, needInputGradient: Bool) -> Tensor? {
        guard needInputGradient else { return nil }
        let n = gradOutput.batch, c = channels, scale = 1 / Float(pixels)
        gradInput.resize(to: lastInputShape)
        for image in 0..<n {
            let dy = gradOutput.data + image * c
            var dx = gradInput.data + image * pixels * c
            for _ in 0..<pixels {
                for ch in 0..<c { dx[ch] = dy[ch] * scale }
                dx += c
            }
        }
        return gradInput
    }
}
