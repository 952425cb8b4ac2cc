/// Max pooling over square windows of NHWC images, without padding (PyTorch's default floor mode).
public final class MaxPool2D: Layer {
    /// Window height and width.
    public var size: Int { window.size }
    /// Step between windows.
    public var stride: Int { window.stride }
    /// `[H, W, C]`.
    public let inputShape: [Int]
    /// `[OH, OW, C]`.
    public var outputShape: [Int] { window.outputShape }
    private let window: PoolWindow
    private var height: Int { window.height }
    private var width: Int { window.width }
    private var channels: Int { window.channels }
    private var outHeight: Int { window.outHeight }
    private var outWidth: Int { window.outWidth }
    private let output = Tensor(shape: [0])
    private let gradInput = Tensor(shape: [0])
    /// For every output element, the flat batch index of the input element that won.
    private let argmax = IndexBuffer()
    private var lastInputShape: [Int] = []
    /// The last forward's input, from which a backward after an inference forward finds the winners.
    private var lastInput: Tensor?
    /// For tiled 2×2 pools, the winner's slot in its window (0…3) for every output element.
    private let slots = Tensor(shape: [0])
    /// Whether `argmax` (or `slots`) belongs to the last forward (inference keeps no winners).
    private var indicesValid = false
    /// Whether this pool also applies the ReLU that precedes it (set by `Sequential`, which then makes that
    /// ReLU a pass-through): max and ReLU commute, so rectifying a quarter of the values after pooling
    /// saves a full pass over the larger tensor in both directions, and the winners are the same.
    var rectifies = false
    /// Non-overlapping 2×2 windows that tile the input exactly: the backward pass then writes every input
    /// gradient once, without clearing the buffer first.
    private let tiles2x2: Bool

    /// A max pool of `size`×`size` windows every `stride` pixels (`stride` defaults to `size`).
    /// Traps on arguments that `validate` rejects.
    public init(inputShape: [Int], size: Int, stride: Int? = nil) {
        window = PoolWindow(kind: "maxpool", inputShape: inputShape, size: size, stride: stride)
        self.inputShape = inputShape
        tiles2x2 = size == 2 && window.stride == 2 && inputShape[0] % 2 == 0 && inputShape[1] % 2 == 0
    }

    /// Checks that this pool can follow a layer whose per-sample output is `inputShape`.
    public static func validate(inputShape: [Int], size: Int, stride: Int? = nil) throws {
        try PoolWindow.validate(kind: "maxpool", inputShape: inputShape, size: size, stride: stride)
    }

    /// `maxpool2`, or `maxpool3(stride=2)` when the stride differs from the size.
    public var spec: String { window.spec }
    /// One comparison per window element.
    public var forwardFLOPs: Int { window.forwardFLOPs }

    // input (N, H, W, C) -> output (N, OH, OW, C)
    /// Takes each window's maximum per channel; the first maximum wins ties, as in PyTorch.
    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        precondition(
            input.itemCount == height * width * channels,
            "MaxPool2D expects items of \(inputShape), got \(input.shape)")
        precondition(input.count <= Int(Int32.max), "MaxPool2D: batch too large for 32-bit argmax indices")
        lastInputShape = input.shape
        lastInput = input
        output.resize(to: [input.batch, outHeight, outWidth, channels])
        if !training && size == 2 {
            pool2x2Values(input)
        } else {
            poolWithIndices(input)
        }
        return output
    }

    /// Inference's 2×2 pool: maxima only, no winner bookkeeping.
    private func pool2x2Values(_ input: Tensor) {
        indicesValid = false
        let n = input.batch, c = channels, rowStep = width * c, rectify = rectifies
        let x = UnsafePointer(input.data)
        var y = output.data
        for image in 0..<n {
            for oy in 0..<outHeight {
                for ox in 0..<outWidth {
                    let first = ((image * height + oy * stride) * width + ox * stride) * c
                    MaxPool2x2Kernel.values(x + first, rows: rowStep, channels: c, rectify: rectify, into: y)
                    y += c
                }
            }
        }
    }

    /// A tiled 2×2 pool's maxima and winner slots.
    private func poolTiles(_ input: Tensor) {
        let n = input.batch, c = channels, rowStep = width * c, rectify = rectifies
        slots.resize(to: output.shape)
        let x = UnsafePointer(input.data)
        var y = output.data, slot = slots.data
        for image in 0..<n {
            for oy in 0..<outHeight {
                for ox in 0..<outWidth {
                    let first = ((image * height + oy * 2) * width + ox * 2) * c
                    MaxPool2x2Kernel.forward(
                        x + first, rows: rowStep, channels: c, rectify: rectify, into: y, slots: slot)
                    y += c
                    slot += c
                }
            }
        }
    }

    /// Maxima and, for every output element, the flat index of the input element that won.
    private func poolWithIndices(_ input: Tensor) {
        indicesValid = true
        if tiles2x2 { return poolTiles(input) }
        let n = input.batch, c = channels
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
        if rectifies && size != 2 {
            let y = output.data
            for i in 0..<output.count { y[i] = max(y[i], 0) }
        }
    }

    /// The common 2×2 window with its four loads side by side: one pass of selects per channel instead
    /// of four read-modify-write passes over the output row. Rectifies in the same pass when folded.
    /// Indices are 32-bit and computed from per-window bases so that the loop vectorises.
    @inline(__always)
    private func pool2x2(
        _ x: UnsafePointer<Float>, first: Int, rowStep: Int, channels c: Int,
        into y: UnsafeMutablePointer<Float>, indices idx: UnsafeMutablePointer<Int32>
    ) {
        let r0 = x + first, r1 = r0 + c, r2 = r0 + rowStep, r3 = r2 + c
        let b0 = Int32(truncatingIfNeeded: first), b1 = b0 + Int32(truncatingIfNeeded: c)
        let b2 = b0 + Int32(truncatingIfNeeded: rowStep), b3 = b2 + Int32(truncatingIfNeeded: c)
        let rectify = rectifies
        for ch in 0..<c {
            let a = r0[ch], b = r1[ch], d = r2[ch], e = r3[ch]
            var best = a, at = b0
            let t1 = b > best
            best = t1 ? b : best
            at = t1 ? b1 : at
            let t2 = d > best
            best = t2 ? d : best
            at = t2 ? b2 : at
            let t3 = e > best
            best = t3 ? e : best
            at = t3 ? b3 : at
            y[ch] = rectify ? (best > 0 ? best : 0) : best
            idx[ch] = at &+ Int32(truncatingIfNeeded: ch)
        }
    }

    /// Routes each output gradient to the input element that won its window (nothing where a rectifying
    /// pool output is zero: ReLU's gradient is zero there).
    public func backward(_ gradOutput: Tensor, needInputGradient: Bool) -> Tensor? {
        guard needInputGradient else { return nil }
        if !indicesValid, let lastInput {
            // An inference forward kept no winners; find them again (the maxima come out the same).
            poolWithIndices(lastInput)
        }
        gradInput.resize(to: lastInputShape)
        let dx = gradInput.data, dy = gradOutput.data, idx = argmax.data, y = output.data
        if tiles2x2 {
            routeTiles(dy, into: dx)
            return gradInput
        }
        gradInput.zero()
        let rectify = rectifies
        for i in 0..<argmax.count {
            let g = dy[i], v = y[i]
            dx[Int(idx[i])] += rectify ? (v > 0 ? g : 0) : g
        }
        return gradInput
    }

    /// The 2×2 tiled backward: each window writes its four input gradients, the winner's and three zeros.
    private func routeTiles(_ dy: UnsafeMutablePointer<Float>, into dx: UnsafeMutablePointer<Float>) {
        let n = lastInputShape[0], c = channels, rowStep = width * c, rectify = rectifies
        var y = UnsafePointer(output.data), slot = UnsafePointer(slots.data), g = UnsafePointer(dy)
        for image in 0..<n {
            for oy in 0..<outHeight {
                for ox in 0..<outWidth {
                    let first = ((image * height + oy * 2) * width + ox * 2) * c
                    MaxPool2x2Kernel.backward(
                        g, outputs: y, slots: slot, channels: c, rows: rowStep, rectify: rectify,
                        into: dx + first)
                    y += c
                    slot += c
                    g += c
                }
            }
        }
    }
}
