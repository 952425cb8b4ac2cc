import QuorumCore

/// Images read from one file, before they are paired with labels: `count × H × W × C` bytes.
public struct ImageArray: Sendable {
    /// One image's shape, `[H, W, C]`.
    public let imageShape: [Int]
    /// The bytes of all images, HWC each.
    public let pixels: [UInt8]
    /// The number of images.
    public let count: Int

    /// Images of `imageShape` stored in `pixels`.
    public init(imageShape: [Int], pixels: [UInt8], count: Int) {
        precondition(
            ModelLimits.product(imageShape + [count]) == pixels.count,
            "pixel count does not match \(count) × \(imageShape)")
        self.imageShape = imageShape
        self.pixels = pixels
        self.count = count
    }
}
