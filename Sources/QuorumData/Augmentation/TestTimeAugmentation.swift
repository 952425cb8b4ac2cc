import QuorumCore

/// Test-time augmentation (`--tta`): score each image as the mean of a model's softmax probabilities
/// over a few label-preserving views of it.
///
/// - `none`: the image alone.
/// - `flip`: the image and its mirror image (left–right).
/// - `flip-shift`: those two plus the image shifted by one pixel left, right, up and down (the pixels
///   moved in are black, as a crop of the zero-padded image would give).
///
/// The views match the training augmentation the members get (hflip, crop), so each view is an image
/// the model has learned to read; averaging cancels part of each view's error.
public enum TestTimeAugmentation: String, Codable, CaseIterable, Sendable {
    case none
    case flip
    case flipShift = "flip-shift"

    /// How many views each image is scored in.
    public var viewCount: Int {
        switch self {
        case .none: return 1
        case .flip: return 2
        case .flipShift: return 6
        }
    }

    /// Writes view `index` (0 is the image itself) of every image in `source` (`[N, H, W, C]`) into `target`.
    /// `fill` holds, per channel, the value a black pixel has after normalisation.
    public func view(_ index: Int, of source: Tensor, into target: Tensor, fill: [Float]) {
        precondition(index >= 0 && index < viewCount, "TestTimeAugmentation.view: no view \(index) in \(self)")
        precondition(source.shape.count == 4 && fill.count == source.shape[3], "views need [N, H, W, C] images")
        target.resize(to: source.shape)
        switch index {
        case 0: target.copy(from: source)
        case 1: Self.mirror(source, into: target)
        default:
            let shifts = [(1, 0), (-1, 0), (0, 1), (0, -1)]
            let (dx, dy) = shifts[index - 2]
            Self.shift(source, dx: dx, dy: dy, into: target, fill: fill)
        }
    }

    /// target[n, y, x, c] = source[n, y, W − 1 − x, c].
    static func mirror(_ source: Tensor, into target: Tensor) {
        let (n, h, w, c) = (source.shape[0], source.shape[1], source.shape[2], source.shape[3])
        let src = source.data, dst = target.data
        for row in 0..<(n * h) {
            let base = row * w * c
            for x in 0..<w {
                (dst + base + x * c).update(from: src + base + (w - 1 - x) * c, count: c)
            }
        }
    }

    /// target[n, y, x, c] = source[n, y − dy, x − dx, c], or `fill[c]` where that lies outside the image.
    static func shift(_ source: Tensor, dx: Int, dy: Int, into target: Tensor, fill: [Float]) {
        let (n, h, w, c) = (source.shape[0], source.shape[1], source.shape[2], source.shape[3])
        let src = source.data, dst = target.data
        for image in 0..<n {
            for y in 0..<h {
                for x in 0..<w {
                    let out = dst + ((image * h + y) * w + x) * c
                    let sy = y - dy, sx = x - dx
                    if sy >= 0 && sy < h && sx >= 0 && sx < w {
                        out.update(from: src + ((image * h + sy) * w + sx) * c, count: c)
                    } else {
                        for k in 0..<c { out[k] = fill[k] }
                    }
                }
            }
        }
    }
}
