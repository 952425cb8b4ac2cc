/// Resizes 8-bit images and converts their channel count, deterministically (same bytes on every machine and
/// at every thread count: each output value is one fixed sum in a fixed order, rounded half up).
///
/// Each axis is filtered on its own: an axis that shrinks uses **area averaging** (every output pixel is the
/// mean of the input interval it covers, partial pixels weighted by their overlap), so no input pixel is
/// skipped; an axis that grows uses **bilinear** interpolation between pixel centres (the half-pixel
/// convention, edges clamped). An axis that keeps its size is copied unchanged.
public enum ImageResize {
    /// ITU-R BT.601 luma weights, in thousandths: grey = 0.299 R + 0.587 G + 0.114 B.
    public static let lumaWeights: (red: Int, green: Int, blue: Int) = (299, 587, 114)

    /// One HWC image of `height × width × channels` bytes resized to `toHeight × toWidth` (same channels).
    public static func resize(
        _ pixels: [UInt8], height: Int, width: Int, channels: Int,
        toHeight: Int, toWidth: Int
    ) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: toHeight * toWidth * channels)
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                resize(
                    src, height: height, width: width, channels: channels,
                    into: dst, toHeight: toHeight, toWidth: toWidth)
            }
        }
        return out
    }

    /// Resizes into a caller's buffer of `toHeight × toWidth × channels` bytes (no allocation for the result).
    public static func resize(
        _ src: UnsafeBufferPointer<UInt8>, height: Int, width: Int, channels: Int,
        into dst: UnsafeMutableBufferPointer<UInt8>, toHeight: Int, toWidth: Int
    ) {
        precondition(height > 0 && width > 0 && channels > 0 && toHeight > 0 && toWidth > 0, "empty image")
        precondition(src.count == height * width * channels, "\(src.count) bytes for \(height)×\(width)×\(channels)")
        precondition(dst.count == toHeight * toWidth * channels, "output buffer of \(dst.count) bytes")
        if height == toHeight && width == toWidth {
            _ = dst.initialize(from: src)
            return
        }
        let columns = AxisFilter(from: width, to: toWidth)
        let rows = AxisFilter(from: height, to: toHeight)
        // Horizontal pass into floats (height × toWidth × C), then the vertical pass rounds to bytes.
        var middle = [Float](repeating: 0, count: height * toWidth * channels)
        middle.withUnsafeMutableBufferPointer { mid in
            for y in 0..<height {
                let inRow = y * width * channels, outRow = y * toWidth * channels
                for x in 0..<toWidth {
                    for c in 0..<channels {
                        var sum: Float = 0
                        for k in columns.taps(x) {
                            sum += columns.weights[k] * Float(src[inRow + columns.indices[k] * channels + c])
                        }
                        mid[outRow + x * channels + c] = sum
                    }
                }
            }
            let rowLength = toWidth * channels
            for y in 0..<toHeight {
                for i in 0..<rowLength {
                    var sum: Float = 0
                    for k in rows.taps(y) { sum += rows.weights[k] * mid[rows.indices[k] * rowLength + i] }
                    dst[y * rowLength + i] = UInt8(max(0, min(255, (sum + 0.5).rounded(.down))))
                }
            }
        }
    }

    /// An image of `channels` (1 or 3; a 2- or 4-channel image first loses its alpha) converted to
    /// `toChannels` (1 or 3): colour to grey by BT.601 luma, grey to colour by copying the value.
    public static func convert(_ pixels: [UInt8], channels: Int, toChannels: Int) -> [UInt8] {
        precondition(
            [1, 2, 3, 4].contains(channels) && [1, 3].contains(toChannels),
            "channels \(channels) -> \(toChannels)")
        let count = pixels.count / channels
        let colour = channels >= 3
        if channels == toChannels { return pixels }
        var out = [UInt8](repeating: 0, count: count * toChannels)
        for p in 0..<count {
            let base = p * channels
            if toChannels == 1 {
                out[p] = colour ? luma(pixels[base], pixels[base + 1], pixels[base + 2]) : pixels[base]
            } else if colour {
                for c in 0..<3 { out[p * 3 + c] = pixels[base + c] }
            } else {
                for c in 0..<3 { out[p * 3 + c] = pixels[base] }
            }
        }
        return out
    }

    /// BT.601 luma of one RGB pixel, rounded half up.
    @inline(__always) public static func luma(_ r: UInt8, _ g: UInt8, _ b: UInt8) -> UInt8 {
        UInt8((lumaWeights.red * Int(r) + lumaWeights.green * Int(g) + lumaWeights.blue * Int(b) + 500) / 1000)
    }
}

/// The taps of one axis: for output position o, input positions `indices[k]` with weights `weights[k]`
/// for k in `starts[o]..<starts[o + 1]`; the weights of one output sum to 1.
struct AxisFilter {
    private(set) var starts: [Int] = [0]
    private(set) var indices: [Int] = []
    private(set) var weights: [Float] = []

    /// Area averaging when `to < from`, bilinear (half-pixel centres, clamped) otherwise.
    init(from: Int, to: Int) {
        let scale = Double(from) / Double(to)
        for o in 0..<to {
            if to < from {
                let lo = Double(o) * scale, hi = Double(o + 1) * scale
                var i = Int(lo.rounded(.down))
                while Double(i) < hi && i < from {
                    let overlap = min(hi, Double(i + 1)) - max(lo, Double(i))
                    if overlap > 1e-9 { append(i, overlap / scale) }
                    i += 1
                }
            } else {
                let centre = min(max((Double(o) + 0.5) * scale - 0.5, 0), Double(from - 1))
                let left = Int(centre.rounded(.down))
                let fraction = centre - Double(left)
                append(left, 1 - fraction)
                if fraction > 0 && left + 1 < from { append(left + 1, fraction) }
            }
            starts.append(indices.count)
        }
    }

    /// The tap numbers of output position `o`.
    @inline(__always) func taps(_ o: Int) -> Range<Int> { starts[o]..<starts[o + 1] }

    private mutating func append(_ index: Int, _ weight: Double) {
        indices.append(index)
        weights.append(Float(weight))
    }
}
