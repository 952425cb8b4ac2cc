import Foundation

/// In-place operations on one image of Floats in [0, 1], HWC. Callers pass scratch space of at least
/// H × W × C floats, so nothing here allocates.
public enum ImageOps {
    /// Mirrors the image left to right.
    public static func flipHorizontal(_ img: UnsafeMutablePointer<Float>, height h: Int, width w: Int, channels c: Int)
    {
        for y in 0..<h {
            let row = img + y * w * c
            var left = 0, right = w - 1
            while left < right {
                for ch in 0..<c { swap(&row[left * c + ch], &row[right * c + ch]) }
                left += 1; right -= 1
            }
        }
    }

    /// Mirrors the image top to bottom.
    public static func flipVertical(_ img: UnsafeMutablePointer<Float>, height h: Int, width w: Int, channels c: Int) {
        let rowSize = w * c
        var top = 0, bottom = h - 1
        while top < bottom {
            let a = img + top * rowSize, b = img + bottom * rowSize
            for i in 0..<rowSize { swap(&a[i], &b[i]) }
            top += 1; bottom -= 1
        }
    }

    /// Rotates the image by `degrees` (counter-clockwise) about its centre, with bilinear sampling;
    /// samples outside the image count as 0.
    public static func rotate(
        _ img: UnsafeMutablePointer<Float>, height h: Int, width w: Int, channels c: Int,
        degrees: Float, scratch: UnsafeMutablePointer<Float>
    ) {
        let n = h * w * c
        scratch.update(from: img, count: n)
        let theta = degrees * Float.pi / 180
        let cosT = cosf(theta), sinT = sinf(theta)
        let cx = Float(w - 1) / 2, cy = Float(h - 1) / 2
        for y in 0..<h {
            for x in 0..<w {
                // Inverse mapping: where in the source does this output pixel come from.
                let dx = Float(x) - cx, dy = Float(y) - cy
                let sx = cosT * dx - sinT * dy + cx
                let sy = sinT * dx + cosT * dy + cy
                let x0 = Int(floorf(sx)), y0 = Int(floorf(sy))
                let fx = sx - Float(x0), fy = sy - Float(y0)
                let out = img + (y * w + x) * c
                for ch in 0..<c { out[ch] = 0 }
                for dyTap in 0..<2 {
                    let yy = y0 + dyTap, wy = dyTap == 0 ? 1 - fy : fy
                    guard yy >= 0 && yy < h && wy != 0 else { continue }
                    for dxTap in 0..<2 {
                        let xx = x0 + dxTap, wx = dxTap == 0 ? 1 - fx : fx
                        guard xx >= 0 && xx < w && wx != 0 else { continue }
                        let src = scratch + (yy * w + xx) * c
                        let weight = wy * wx
                        for ch in 0..<c { out[ch] += weight * src[ch] }
                    }
                }
            }
        }
    }

    /// Shifts the content so that output (y, x) shows input (y + dy, x + dx), filling with 0: the same as
    /// cropping an image zero-padded by P pixels at offset (P + dy, P + dx).
    public static func translate(
        _ img: UnsafeMutablePointer<Float>, height h: Int, width w: Int, channels c: Int,
        dx: Int, dy: Int, scratch: UnsafeMutablePointer<Float>
    ) {
        guard dx != 0 || dy != 0 else { return }
        scratch.update(from: img, count: h * w * c)
        img.update(repeating: 0, count: h * w * c)
        let x0 = max(0, -dx), x1 = min(w, w - dx)
        guard x1 > x0 else { return }
        for y in 0..<h {
            let sy = y + dy
            guard sy >= 0 && sy < h else { continue }
            (img + (y * w + x0) * c).update(from: scratch + (sy * w + x0 + dx) * c, count: (x1 - x0) * c)
        }
    }

    /// Adds `delta` to every value, clamping to [0, 1].
    public static func addBrightness(_ img: UnsafeMutablePointer<Float>, count: Int, delta: Float) {
        for i in 0..<count { img[i] = min(1, max(0, img[i] + delta)) }
    }

    /// Scales values about the image mean by `factor`, clamping to [0, 1].
    public static func scaleContrast(_ img: UnsafeMutablePointer<Float>, count: Int, factor: Float) {
        var sum: Float = 0
        for i in 0..<count { sum += img[i] }
        let mean = sum / Float(max(count, 1))
        for i in 0..<count { img[i] = min(1, max(0, mean + (img[i] - mean) * factor)) }
    }

    /// Moves each RGB pixel away from (factor > 1) or towards (factor < 1) its grey value; other channel
    /// counts are left alone.
    public static func saturate(_ img: UnsafeMutablePointer<Float>, pixels: Int, channels c: Int, factor: Float) {
        guard c == 3 else { return }
        for p in 0..<pixels {
            let px = img + p * 3
            let grey = 0.299 * px[0] + 0.587 * px[1] + 0.114 * px[2]
            for ch in 0..<3 { px[ch] = min(1, max(0, grey + (px[ch] - grey) * factor)) }
        }
    }

    /// The kernel radius used for a blur of `sigma`: ceil(3σ).
    public static func blurRadius(sigma: Float) -> Int { max(0, Int(ceilf(3 * sigma))) }

    /// Separable Gaussian blur with a kernel of radius ceil(3σ) normalised to sum 1; samples beyond the
    /// border repeat the edge pixel. `kernel` needs 2·radius + 1 floats.
    public static func gaussianBlur(
        _ img: UnsafeMutablePointer<Float>, height h: Int, width w: Int, channels c: Int,
        sigma: Float, scratch: UnsafeMutablePointer<Float>, kernel: UnsafeMutablePointer<Float>
    ) {
        let r = blurRadius(sigma: sigma)
        guard r > 0 else { return }
        var total: Float = 0
        for k in -r...r {
            let v = expf(-Float(k * k) / (2 * sigma * sigma))
            kernel[k + r] = v
            total += v
        }
        for k in 0...(2 * r) { kernel[k] /= total }
        // Horizontal pass into scratch, vertical pass back into the image.
        for y in 0..<h {
            for x in 0..<w {
                for ch in 0..<c {
                    var acc: Float = 0
                    for k in -r...r {
                        let xx = min(w - 1, max(0, x + k))
                        acc += kernel[k + r] * img[(y * w + xx) * c + ch]
                    }
                    scratch[(y * w + x) * c + ch] = acc
                }
            }
        }
        for y in 0..<h {
            for x in 0..<w {
                for ch in 0..<c {
                    var acc: Float = 0
                    for k in -r...r {
                        let yy = min(h - 1, max(0, y + k))
                        acc += kernel[k + r] * scratch[(yy * w + x) * c + ch]
                    }
                    img[(y * w + x) * c + ch] = acc
                }
            }
        }
    }

    /// Sets the rectangle of `rectHeight × rectWidth` pixels at (top, left) to 0 in every channel.
    public static func erase(
        _ img: UnsafeMutablePointer<Float>, width w: Int, channels c: Int,
        top: Int, left: Int, rectHeight: Int, rectWidth: Int
    ) {
        for y in top..<(top + rectHeight) {
            (img + (y * w + left) * c).update(repeating: 0, count: rectWidth * c)
        }
    }
}
