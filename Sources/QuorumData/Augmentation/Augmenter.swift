import Foundation
import QuorumCore

/// Applies `AugmentationSettings` to single images, owning the scratch space the operations need so that
/// augmenting a batch allocates nothing. One augmenter per thread.
public final class Augmenter {
    /// The shape of the images it handles, `[H, W, C]`.
    public let imageShape: [Int]
    private let h: Int, w: Int, c: Int
    private let scratch: UnsafeMutablePointer<Float>
    private let kernel: UnsafeMutablePointer<Float>
    /// Largest kernel: σ is at most 10 in the text form, radius ceil(3σ) = 30.
    private static let kernelCapacity = 2 * 30 + 1

    /// An augmenter for images of `imageShape` (`[H, W, C]`).
    public init(imageShape: [Int]) {
        precondition(imageShape.count == 3, "image shape must be [H, W, C]")
        self.imageShape = imageShape
        (h, w, c) = (imageShape[0], imageShape[1], imageShape[2])
        scratch = .allocate(capacity: max(1, h * w * c))
        kernel = .allocate(capacity: Self.kernelCapacity)
    }

    deinit {
        scratch.deallocate()
        kernel.deallocate()
    }

    /// Changes `image` (H × W × C floats in [0, 1]) in place, drawing every random choice from `rng`.
    ///
    /// Order: flips, rotation, crop (translation), brightness, contrast, colour, blur, erasing. A setting
    /// that is zero draws nothing from `rng`.
    public func apply(
        _ s: AugmentationSettings, to image: UnsafeMutablePointer<Float>, using rng: inout SeededGenerator
    ) {
        let n = h * w * c
        if s.horizontalFlip > 0 && rng.nextUniform() < s.horizontalFlip {
            ImageOps.flipHorizontal(image, height: h, width: w, channels: c)
        }
        if s.verticalFlip > 0 && rng.nextUniform() < s.verticalFlip {
            ImageOps.flipVertical(image, height: h, width: w, channels: c)
        }
        if s.rotationDegrees > 0 {
            let angle = (rng.nextUniform() * 2 - 1) * s.rotationDegrees
            ImageOps.rotate(image, height: h, width: w, channels: c, degrees: angle, scratch: scratch)
        }
        if s.cropPadding > 0 {
            let span = 2 * s.cropPadding + 1
            let dx = rng.nextInt(below: span) - s.cropPadding
            let dy = rng.nextInt(below: span) - s.cropPadding
            ImageOps.translate(image, height: h, width: w, channels: c, dx: dx, dy: dy, scratch: scratch)
        }
        if s.brightness > 0 {
            ImageOps.addBrightness(image, count: n, delta: (rng.nextUniform() * 2 - 1) * s.brightness)
        }
        if s.contrast > 0 {
            ImageOps.scaleContrast(image, count: n, factor: 1 + (rng.nextUniform() * 2 - 1) * s.contrast)
        }
        if s.colorJitter > 0 && c == 3 {
            ImageOps.saturate(
                image, pixels: h * w, channels: c, factor: 1 + (rng.nextUniform() * 2 - 1) * s.colorJitter)
        }
        if s.blurProbability > 0 && rng.nextUniform() < s.blurProbability {
            let sigma = min(s.blurSigma, 10)
            ImageOps.gaussianBlur(
                image, height: h, width: w, channels: c, sigma: sigma, scratch: scratch, kernel: kernel)
        }
        if s.erasingProbability > 0 && rng.nextUniform() < s.erasingProbability {
            // Area 2–30 % of the image, aspect ratio log-uniform in [0.3, 1/0.3], as in Zhong et al.
            let area = Float(h * w) * (0.02 + rng.nextUniform() * 0.28)
            let ratio = expf(logf(0.3) + rng.nextUniform() * (logf(1 / 0.3) - logf(0.3)))
            let eh = min(h, max(1, Int((area * ratio).squareRoot().rounded())))
            let ew = min(w, max(1, Int((area / ratio).squareRoot().rounded())))
            let top = rng.nextInt(below: h - eh + 1), left = rng.nextInt(below: w - ew + 1)
            ImageOps.erase(image, width: w, channels: c, top: top, left: left, rectHeight: eh, rectWidth: ew)
        }
    }
}
