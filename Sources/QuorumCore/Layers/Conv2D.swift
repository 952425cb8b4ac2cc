/// A square-kernel 2-D convolution over NHWC images, run by oneDNN, or as one batched im2col plus one
/// GEMM where oneDNN cannot build a primitive for the geometry.
///
/// The weight is stored GEMM-ready as `[kernelSize * kernelSize * inChannels, filters]`, row index
/// `(ky * kernelSize + kx) * inChannels + c`: oneDNN's HWIO layout, and a single `col · W` for im2col.
/// `pytorchWeight()` / `setPytorchWeight(_:)` convert to and from PyTorch's OIHW order for model files.
public final class Conv2D: Layer {
    /// Channels of the input image.
    public private(set) var inChannels: Int
    /// Output channels.
    public private(set) var filters: Int
    /// Height and width of the square kernel.
    public private(set) var kernelSize: Int
    /// Step between neighbouring kernel positions, in pixels.
    public private(set) var stride: Int
    /// Zero padding added on every side, in pixels.
    public private(set) var padding: Int
    /// The kernel, `[kernelSize * kernelSize * inChannels, filters]`.
    public let weight: Parameter
    /// One bias per filter, `[filters]`.
    public let bias: Parameter
    /// `[H, W, inChannels]`.
    public let inputShape: [Int]
    /// `[OH, OW, filters]`.
    public let outputShape: [Int]

    private let height: Int, width: Int, outHeight: Int, outWidth: Int
    /// One im2col row's length: `kernelSize * kernelSize * inChannels`.
    private let patch: Int
    /// A 1x1, stride-1, unpadded convolution is already a GEMM over the input pixels.
    private let isPointwise: Bool
    /// Per output column `ox`: the first valid kernel column, one past the last, and the input column
    /// of kernel column 0. Fixed by the geometry, so computed once instead of per pixel.
    private let columnStart: [Int], columnEnd: [Int], columnOrigin: [Int]
    private let output = Tensor(shape: [0])
    private let col = Tensor(shape: [0])
    private let gradCol = Tensor(shape: [0])
    private let gradInput = Tensor(shape: [0])
    /// The last forward's input; read by oneDNN's weight gradient and the pointwise backward.
    private var lastInput: Tensor?
    /// The implementation in use: `.oneDNN` until oneDNN fails on this geometry, then `.im2col` for good.
    public private(set) var engine: ConvolutionEngine
    /// Why this layer left oneDNN for im2col, if it did.
    public private(set) var fallbackReason: String?
    /// oneDNN's primitives for this geometry, created on the first forward.
    private var convolution: DNNLConvolution?
    /// The (batch, threads, training) the oneDNN kernels were last prepared for; preparing builds every
    /// kernel a step needs up front, so a failure shows in the forward pass, before anything accumulates.
    private var preparedFor: PreparedKey?
    /// Whether the last forward ran on oneDNN (its backward then does too).
    private var forwardUsedOneDNN = false
    /// Whether `col` holds the im2col of the last forward's input.
    private var columnsValid = false
    /// The bias gradient oneDNN must write when only the weight is trainable; discarded.
    private let discardedBiasGradient = Tensor(shape: [0])

    private struct PreparedKey: Equatable {
        let batch: Int
        let threads: Int
        let training: Bool
    }

    /// A convolution over `inputShape` = `[H, W, C]` with `filters` square `kernelSize` kernels.
    /// Traps on arguments that `validate` rejects.
    /// `engine` `.im2col` skips oneDNN (tests compare the two).
    public init(
        inputShape: [Int], filters: Int, kernelSize: Int, stride: Int = 1, padding: Int,
        engine: ConvolutionEngine = .oneDNN
    ) {
        do {
            try Conv2D.validate(
                inputShape: inputShape, filters: filters, kernelSize: kernelSize, stride: stride,
                padding: padding)
        } catch { preconditionFailure("\(error)") }
        let (h, w, c) = (inputShape[0], inputShape[1], inputShape[2])
        self.inputShape = inputShape
        inChannels = c
        self.filters = filters
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        self.engine = engine
        height = h
        width = w
        outHeight = (h + 2 * padding - kernelSize) / stride + 1
        outWidth = (w + 2 * padding - kernelSize) / stride + 1
        outputShape = [outHeight, outWidth, filters]
        patch = kernelSize * kernelSize * c
        isPointwise = kernelSize == 1 && stride == 1 && padding == 0
        weight = Parameter(name: "weight", shape: [patch, filters], decays: true)
        bias = Parameter(name: "bias", shape: [filters], decays: false)
        var starts = [Int](), ends = [Int](), origins = [Int]()
        for ox in 0..<outWidth {
            let origin = ox * stride - padding
            origins.append(origin)
            // Clamped so that padding wider than the kernel gives an empty run, not a negative one.
            let start = min(kernelSize, max(0, -origin))
            starts.append(start)
            ends.append(max(start, min(kernelSize, w - origin)))
        }
        columnStart = starts
        columnEnd = ends
        columnOrigin = origins
    }

    /// Checks that a convolution with these arguments can follow a layer whose per-sample output is
    /// `inputShape`; throws a `LayerError` naming the problem.
    public static func validate(
        inputShape: [Int], filters: Int, kernelSize: Int, stride: Int = 1,
        padding: Int
    ) throws {
        let name = "conv\(kernelSize)x\(kernelSize)(\(filters))"
        guard filters > 0, kernelSize > 0, stride > 0, padding >= 0 else {
            throw LayerError.invalidArgument(
                layer: name,
                detail: "filters \(filters), kernel size \(kernelSize) and "
                    + "stride \(stride) must be positive and padding \(padding) non-negative")
        }
        guard inputShape.count == 3, inputShape.allSatisfy({ $0 > 0 }) else {
            throw LayerError.needsImage(layer: name, inputShape: inputShape)
        }
        guard inputShape[0] + 2 * padding >= kernelSize, inputShape[1] + 2 * padding >= kernelSize else {
            throw LayerError.windowTooLarge(layer: name, window: kernelSize, inputShape: inputShape)
        }
    }

    /// `conv3x3(32)`; stride and padding are written out when they differ from 1 and `kernelSize / 2`.
    public var spec: String {
        var extras = ""
        if stride != 1 { extras += ",stride=\(stride)" }
        if padding != kernelSize / 2 { extras += ",pad=\(padding)" }
        return "conv\(kernelSize)x\(kernelSize)(\(filters)\(extras))"
    }

    /// Weight then bias.
    public var parameters: [Parameter] { [weight, bias] }

    /// 2 · OH · OW · K · K · Cin · Cout.
    public var forwardFLOPs: Int { 2 * outHeight * outWidth * patch * filters }

    // input (N, H, W, Cin) -> output (N, OH, OW, filters)
    /// Convolves the batch with oneDNN, or with im2col and one GEMM on top of the broadcast bias.
    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        precondition(
            input.itemCount == height * width * inChannels,
            "Conv2D expects items of \(inputShape), got \(input.shape)")
        let n = input.batch
        lastInput = input
        columnsValid = false
        output.resize(to: [n, outHeight, outWidth, filters])
        forwardUsedOneDNN = engine == .oneDNN && forwardOneDNN(input, batch: n, training: training)
        if forwardUsedOneDNN { return output }
        let rows = n * outHeight * outWidth
        let out = output.data, b = bias.value.data, f = filters
        for r in 0..<rows { (out + r * f).update(from: b, count: f) }
        DNNL.sgemm(m: rows, n: f, k: patch, a: columns(of: input), b: weight.value.data, beta: 1, c: out)
        return output
    }

    /// Runs the forward pass on oneDNN; on any oneDNN error switches this layer to im2col and returns false.
    private func forwardOneDNN(_ input: Tensor, batch n: Int, training: Bool) -> Bool {
        do {
            let conv: DNNLConvolution
            if let convolution {
                conv = convolution
            } else {
                conv = try DNNLConvolution(
                    height: height, width: width, inChannels: inChannels, outChannels: filters,
                    kernel: kernelSize, stride: stride, padding: padding)
                convolution = conv
            }
            let key = PreparedKey(batch: n, threads: DNNL.threads, training: training)
            if key != preparedFor {
                try conv.prepare(batch: n, training: training)
                preparedFor = key
            }
            try conv.forward(
                input: input.data, weight: weight.value.data, bias: bias.value.data, output: output.data,
                batch: n, training: training)
            return true
        } catch {
            fallBack(error)
            return false
        }
    }

    /// Leaves oneDNN for good: the geometry (or the machine) is one its kernels do not cover.
    private func fallBack(_ error: Error) {
        engine = .im2col
        fallbackReason = "\(error)"
        convolution = nil
        preparedFor = nil
    }

    /// The GEMM's left operand for `input`: the input itself for a pointwise convolution, else its
    /// im2col, computed once per forward.
    private func columns(of input: Tensor) -> UnsafePointer<Float> {
        if isPointwise { return UnsafePointer(input.data) }
        if !columnsValid {
            col.resize(to: [input.batch * outHeight * outWidth, patch])
            im2col(input.data, batch: input.batch)
            columnsValid = true
        }
        return UnsafePointer(col.data)
    }

    /// Accumulates dW and db and returns dX, on the engine the forward pass used.
    public func backward(_ gradOutput: Tensor, needInputGradient: Bool) -> Tensor? {
        guard let input = lastInput else { preconditionFailure("Conv2D.backward called before forward") }
        let n = input.batch
        let rows = n * outHeight * outWidth
        precondition(gradOutput.count == rows * filters, "Conv2D.backward: gradient shape \(gradOutput.shape)")
        let dy = UnsafePointer(gradOutput.data)
        if weight.trainable {
            if !(forwardUsedOneDNN && weightGradientOneDNN(input, dy, batch: n)) {
                DNNL.sgemm(
                    transA: true, m: patch, n: filters, k: rows, a: columns(of: input), b: dy, beta: 1,
                    c: weight.gradient.data)
                if bias.trainable { addColumnSums(dy, rows: rows, columns: filters, into: bias.gradient.data) }
            }
        } else if bias.trainable {
            addColumnSums(dy, rows: rows, columns: filters, into: bias.gradient.data)
        }
        guard needInputGradient else { return nil }
        gradInput.resize(to: input.shape)
        if forwardUsedOneDNN, let conv = convolution {
            do {
                try conv.backwardData(gradOutput: dy, weight: weight.value.data, gradInput: gradInput.data, batch: n)
                return gradInput
            } catch { fallBack(error) }
        }
        if isPointwise {
            DNNL.sgemm(
                transB: true, m: rows, n: patch, k: filters, a: dy, b: weight.value.data,
                c: gradInput.data)
        } else {
            gradCol.resize(to: [rows, patch])
            DNNL.sgemm(
                transB: true, m: rows, n: patch, k: filters, a: dy, b: weight.value.data,
                c: gradCol.data)
            col2im(batch: n)
        }
        return gradInput
    }

    /// dW += and (when trainable) db += on oneDNN; false, with the layer switched to im2col, on an error.
    private func weightGradientOneDNN(_ input: Tensor, _ dy: UnsafePointer<Float>, batch n: Int) -> Bool {
        guard let conv = convolution else { return false }
        let biasGradient: UnsafeMutablePointer<Float>
        if bias.trainable {
            biasGradient = bias.gradient.data
        } else {
            discardedBiasGradient.resize(to: [filters])
            biasGradient = discardedBiasGradient.data
        }
        do {
            try conv.backwardWeights(
                input: input.data, gradOutput: dy, gradWeight: weight.gradient.data,
                gradBias: biasGradient, batch: n)
            return true
        } catch {
            fallBack(error)
            return false
        }
    }

    /// Copies every receptive field into a row of `col`. In NHWC the valid part of one kernel row is a
    /// contiguous run of input memory, so each (pixel, ky) is one copy plus two zero fills.
    private func im2col(_ x: UnsafePointer<Float>, batch n: Int) {
        let c = inChannels, k = kernelSize, rowLength = k * c
        // With one channel a run is only `kernelSize` floats (3 for a first layer on grey images): the
        // memcpy calls would cost more than the bytes, so those layers gather element-wise instead.
        if c == 1 { return im2colSingleChannel(x, batch: n) }
        var dst = col.data
        for image in 0..<n {
            let src = x + image * height * width * c
            for oy in 0..<outHeight {
                let iy0 = oy * stride - padding
                for ox in 0..<outWidth {
                    let start = columnStart[ox], end = columnEnd[ox], origin = columnOrigin[ox]
                    for ky in 0..<k {
                        let iy = iy0 + ky
                        if iy < 0 || iy >= height {
                            dst.update(repeating: 0, count: rowLength)
                        } else {
                            if start > 0 { dst.update(repeating: 0, count: start * c) }
                            let run = (end - start) * c
                            (dst + start * c).update(from: src + (iy * width + origin + start) * c, count: run)
                            if end < k { (dst + end * c).update(repeating: 0, count: (k - end) * c) }
                        }
                        dst += rowLength
                    }
                }
            }
        }
    }

    /// `im2col` for one input channel: for each kernel tap (ky, kx) and output row, a strided gather over
    /// the output columns whose input column is inside the image, and zeros for the rest.
    private func im2colSingleChannel(_ x: UnsafePointer<Float>, batch n: Int) {
        let k = kernelSize, s = stride, ow = outWidth
        for image in 0..<n {
            let src = x + image * height * width
            for oy in 0..<outHeight {
                let rowBase = col.data + (image * outHeight + oy) * ow * patch
                for ky in 0..<k {
                    let iy = oy * s - padding + ky
                    for kx in 0..<k {
                        var dst = rowBase + ky * k + kx
                        // Output columns [lo, hi) read input columns inside the image; rows outside the
                        // image make the whole range zeros.
                        let inside = iy >= 0 && iy < height
                        let lo = inside ? min(ow, max(0, (padding - kx + s - 1) / s)) : ow
                        let last = width - 1 + padding - kx  // ox·s ≤ last keeps the input column in the image
                        let hi = last < 0 ? lo : max(lo, min(ow, last / s + 1))
                        for _ in 0..<lo {
                            dst.pointee = 0
                            dst += patch
                        }
                        if hi > lo {
                            var from = src + iy * width + lo * s - padding + kx
                            for _ in lo..<hi {
                                dst.pointee = from.pointee
                                dst += patch
                                from += s
                            }
                        }
                        for _ in hi..<ow {
                            dst.pointee = 0
                            dst += patch
                        }
                    }
                }
            }
        }
    }

    /// The adjoint of `im2col`: adds each row of `gradCol` back onto the input pixels it was copied from.
    private func col2im(batch n: Int) {
        let c = inChannels, k = kernelSize, rowLength = k * c
        gradInput.zero()
        var src = UnsafePointer(gradCol.data)
        for image in 0..<n {
            let dst = gradInput.data + image * height * width * c
            for oy in 0..<outHeight {
                let iy0 = oy * stride - padding
                for ox in 0..<outWidth {
                    let start = columnStart[ox], end = columnEnd[ox], origin = columnOrigin[ox]
                    for ky in 0..<k {
                        let iy = iy0 + ky
                        if iy >= 0 && iy < height {
                            let run = (end - start) * c
                            let from = src + start * c
                            let to = dst + (iy * width + origin + start) * c
                            for i in 0..<run { to[i] += from[i] }
                        }
                        src += rowLength
                    }
                }
            }
        }
    }

    /// The kernel in PyTorch's `[filters, inChannels, kernelSize, kernelSize]` (OIHW) order.
    public func pytorchWeight() -> [Float] {
        let (c, k, f) = (inChannels, kernelSize, filters)
        var out = [Float](repeating: 0, count: patch * f)
        let w = weight.value.data
        for o in 0..<f {
            for ci in 0..<c {
                for ky in 0..<k {
                    for kx in 0..<k {
                        out[((o * c + ci) * k + ky) * k + kx] = w[((ky * k + kx) * c + ci) * f + o]
                    }
                }
            }
        }
        return out
    }

    /// Sets the kernel from PyTorch's OIHW order; `oihw` must hold `filters · inChannels · K · K` values.
    public func setPytorchWeight(_ oihw: [Float]) {
        precondition(
            oihw.count == patch * filters,
            "Conv2D.setPytorchWeight: expected \(patch * filters) values, got \(oihw.count)")
        let (c, k, f) = (inChannels, kernelSize, filters)
        let w = weight.value.data
        for o in 0..<f {
            for ci in 0..<c {
                for ky in 0..<k {
                    for kx in 0..<k {
                        w[((ky * k + kx) * c + ci) * f + o] = oihw[((o * c + ci) * k + ky) * k + kx]
                    }
                }
            }
        }
    }
}
