/// Max pooling over square windows of NHWC images, without padding (PyTorch's default floor mode).
public final class MaxPool2D: Layer {
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
    /// For every output element, the flat batch index of the input element that won.
    private let argmax = IndexBuffer()
    private var lastInputShape: [Int] = []

    /// A max pool of `size`×`size` windows every `stride` pixels (`stride` defaults to `size`).
    /// Traps on arguments that `validate` rejects.
    public init(inputShape: [Int], size: Int, stride: Int? = nil) {
        do { try MaxPool2D.validate(inputShape: inputShape, size: size, stride: stride) } catch {
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
        let name = "maxpool\(size)"
        guard size > 0, (stride ?? size) > 0 else {
            throw LayerError.invalidArgument(layer: name, detail: "size \(size) and stride \(stride ?? size) must be positive")
        }
        guard inputShape.count == 3, inputShape.allSatisfy({ $0 > 0 }) else {
            throw LayerError.needsImage(layer: name, inputShape: inputShape)
        }
        guard inputShape[0] >= size, inputShape[1] >= size else {
            throw LayerError.windowTooLarge(layer: name, window: size, inputShape: inputShape)
        }
    }

    /// `maxpool2`, or `maxpool3(stride=2)` when the stride differs from the size.
    public var spec: String { stride == size ? "maxpool\(size)" : "maxpool\(size)(stride=\(stride))" }
    /// One comparison per window element.
    public var forwardFLOPs: Int { outHeight * outWidth * channels * size * size }

    // input (N, H, W, C) -> output (N, OH, OW, C)
    /// Takes each window's maximum per channel; the first maximum wins ties, as in PyTorch.
    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        precondition(input.itemCount == height * width * channels,
                     "MaxPool2D expects items of \(inputShape), got \(input.shape)")
        let n = input.batch, c = channels
        precondition(input.count <= Int(Int32.max), "MaxPool2D: batch too large for 32-bit argmax indices")
        lastInputShape = input.shape
        output.resize(to: [n, outHeight, outWidth, c])
        argmax.resize(to: output.count)
        let x = input.data
        var y = output.data
        var idx = argmax.data
        for image in 0..<n {
            for oy in 0..<outHeight {
                for ox in 0..<outWidth {
                    let first = ((image * height + oy * stride) * width + ox * stride) * c
                    if size == 2 {
                        pool2x2(x, first: first, rowStep: width * c, channels: c, into: y, indices: idx)
                        y += c
                        idx += c
                        continue
                    }
                    y.update(from: x + first, count: c)
                    for ch in 0..<c { idx[ch] = Int32(first + ch) }
                    for ky in 0..<size {
                        for kx in 0..<size where ky != 0 || kx != 0 {
                            let offset = ((image * height + oy * stride + ky) * width + ox * stride + kx) * c
                            let src = x + offset
                            // Unconditional stores of a selected value: a blend instead of a branch
                            // that mispredicts on random data.
                            for ch in 0..<c {
                                let v = src[ch], best = y[ch], taken = v > best
                                y[ch] = taken ? v : best
                                idx[ch] = taken ? Int32(offset + ch) : idx[ch]
                            }
                        }
                    }
                    y += c
                    idx += c
                }
            }
        }
        return output
    }

    /// The common 2×2 window with its four loads side by side: one pass of selects per channel instead
    /// of four read-modify-write passes over the output row.
    @inline(__always)
    private func pool2x2(_ x: UnsafePointer<Float>, first: Int, rowStep: Int, channels c: Int,
                         into y: UnsafeMutablePointer<Float>, indices idx: UnsafeMutablePointer<Int32>) {
        let o0 = first, o1 = first + c, o2 = first + rowStep, o3 = first + rowStep + c
        for ch in 0..<c {
            let a = x[o0 + ch], b = x[o1 + ch], d = x[o2 + ch], e = x[o3 + ch]
            var best = a, at = Int32(o0 + ch)
            let t1 = b > best
            best = t1 ? b : best
            at = t1 ? Int32(o1 + ch) : at
            let t2 = d > best
            best = t2 ? d : best
            at = t2 ? Int32(o2 + ch) : at
            let t3 = e > best
            best = t3 ? e : best
            at = t3 ? Int32(o3 + ch) : at
            y[ch] = best
            idx[ch] = at
        }
    }

    /// Routes each output gradient to the input element that won its window.
    public func backward(_ gradOutput: Tensor, needInputGradient: Bool) -> Tensor? {
        guard needInputGradient else { return nil }
        gradInput.resize(to: lastInputShape)
        gradInput.zero()
        let dx = gradInput.data, dy = gradOutput.data, idx = argmax.data
        for i in 0..<argmax.count { dx[Int(idx[i])] += dy[i] }
        return gradInput
    }
}
