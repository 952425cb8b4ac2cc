/// The geometry every pooling layer shares: square windows of `size` pixels every `stride` pixels over an
/// `[H, W, C]` image, without padding (PyTorch's floor mode).
struct PoolWindow {
    /// `maxpool` or `avgpool`, for specs and errors.
    let kind: String
    /// Window height and width.
    let size: Int
    /// Step between windows.
    let stride: Int
    let height: Int, width: Int, channels: Int
    let outHeight: Int, outWidth: Int

    /// The windows of a `kind` pool; traps on arguments that `validate` rejects (layers are built from specs
    /// that were validated when parsed).
    init(kind: String, inputShape: [Int], size: Int, stride: Int?) {
        do { try Self.validate(kind: kind, inputShape: inputShape, size: size, stride: stride) } catch {
            preconditionFailure("\(error)")
        }
        self.kind = kind
        self.size = size
        self.stride = stride ?? size
        (height, width, channels) = (inputShape[0], inputShape[1], inputShape[2])
        outHeight = (height - size) / self.stride + 1
        outWidth = (width - size) / self.stride + 1
    }

    /// `[OH, OW, C]`.
    var outputShape: [Int] { [outHeight, outWidth, channels] }

    /// `maxpool2`, or `maxpool3(stride=2)` when the stride differs from the size.
    var spec: String { stride == size ? "\(kind)\(size)" : "\(kind)\(size)(stride=\(stride))" }

    /// One operation (an addition or a comparison) per window element.
    var forwardFLOPs: Int { outHeight * outWidth * channels * size * size }

    /// The offset in an NHWC batch of the first channel of pixel (`oy`·stride + `ky`, `ox`·stride + `kx`) of
    /// `image`.
    @inline(__always)
    func inputOffset(image: Int, oy: Int, ox: Int, ky: Int = 0, kx: Int = 0) -> Int {
        ((image * height + oy * stride + ky) * width + ox * stride + kx) * channels
    }

    /// Calls `body` for every element of every window of `batch` images, in output order, with the offsets of
    /// the output pixel's and the input pixel's first channel.
    @inline(__always)
    func forEachElement(batch: Int, _ body: (_ outputOffset: Int, _ inputOffset: Int) -> Void) {
        var out = 0
        for image in 0..<batch {
            for oy in 0..<outHeight {
                for ox in 0..<outWidth {
                    for ky in 0..<size {
                        for kx in 0..<size { body(out, inputOffset(image: image, oy: oy, ox: ox, ky: ky, kx: kx)) }
                    }
                    out += channels
                }
            }
        }
    }

    /// Checks that a `kind` pool (`maxpool`, `avgpool`) of `size`×`size` windows every `stride` pixels can
    /// follow a layer whose per-sample output is `inputShape`.
    static func validate(kind: String, inputShape: [Int], size: Int, stride: Int?) throws {
        let name = "\(kind)\(size)"
        guard size > 0, (stride ?? size) > 0 else {
            throw LayerError.invalidArgument(
                layer: name, detail: "size \(size) and stride \(stride ?? size) must be positive")
        }
        guard inputShape.count == 3, inputShape.allSatisfy({ $0 > 0 }) else {
            throw LayerError.needsImage(layer: name, inputShape: inputShape)
        }
        guard inputShape[0] >= size, inputShape[1] >= size else {
            throw LayerError.windowTooLarge(layer: name, window: size, inputShape: inputShape)
        }
    }
}
