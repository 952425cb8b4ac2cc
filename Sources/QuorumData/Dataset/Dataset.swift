import Crypto
import QuorumCore

/// Labelled images kept as bytes (NHWC, one byte per channel), so a whole training set stays small;
/// batches are converted to normalised floats on the fly.
public struct Dataset: Sendable {
    /// A short name for reports and logs, e.g. `fashion-mnist/train`.
    public let name: String
    /// One image's shape, `[H, W, C]`.
    public let imageShape: [Int]
    /// All images, `count × H × W × C` bytes, image after image, each in HWC order.
    public let pixels: [UInt8]
    /// One label per image, each in `0..<numClasses`.
    public let labels: [Int32]
    /// The name of each class, indexed by label.
    public let classNames: [String]

    /// A data set from its parts; the pixel count must match `labels.count × H × W × C`.
    public init(name: String, imageShape: [Int], pixels: [UInt8], labels: [Int32], classNames: [String]) {
        precondition(
            imageShape.count == 3 && imageShape.allSatisfy { $0 > 0 },
            "image shape must be [H, W, C], got \(imageShape)")
        precondition(
            ModelLimits.product(imageShape + [labels.count]) == pixels.count,
            "\(pixels.count) pixel bytes for \(labels.count) images of shape \(imageShape)")
        self.name = name
        self.imageShape = imageShape
        self.pixels = pixels
        self.labels = labels
        self.classNames = classNames
    }

    /// The number of images.
    public var count: Int { labels.count }
    /// The number of classes.
    public var numClasses: Int { classNames.count }
    /// Bytes per image, H × W × C.
    public var imageSize: Int { imageShape.reduce(1, *) }
    /// Image height.
    public var height: Int { imageShape[0] }
    /// Image width.
    public var width: Int { imageShape[1] }
    /// Channels per pixel (1 for grey, 3 for RGB).
    public var channels: Int { imageShape[2] }

    /// The images at `indices`, in that order (indices may repeat).
    public func subset(_ indices: [Int]) -> Dataset {
        let size = imageSize
        var newPixels = [UInt8](repeating: 0, count: indices.count * size)
        var newLabels = [Int32](repeating: 0, count: indices.count)
        newPixels.withUnsafeMutableBufferPointer { dst in
            pixels.withUnsafeBufferPointer { src in
                for (j, i) in indices.enumerated() {
                    precondition(i >= 0 && i < count, "index \(i) outside 0..<\(count)")
                    (dst.baseAddress! + j * size).update(from: src.baseAddress! + i * size, count: size)
                    newLabels[j] = labels[i]
                }
            }
        }
        return Dataset(name: name, imageShape: imageShape, pixels: newPixels, labels: newLabels, classNames: classNames)
    }

    /// The first `n` images (all of them when `n` is at least `count`).
    public func prefix(_ n: Int) -> Dataset {
        n >= count ? self : subset(Array(0..<max(0, n)))
    }

    /// The same images under another name or other class names.
    public func renamed(_ name: String? = nil, classNames: [String]? = nil) -> Dataset {
        Dataset(
            name: name ?? self.name, imageShape: imageShape, pixels: pixels, labels: labels,
            classNames: classNames ?? self.classNames)
    }

    /// How many images each class holds, indexed by label.
    public func classCounts() -> [Int] {
        var counts = [Int](repeating: 0, count: numClasses)
        for l in labels where Int(l) >= 0 && Int(l) < numClasses { counts[Int(l)] += 1 }
        return counts
    }

    /// One image's bytes as an array (for tests and single-image tools, not for batching).
    public func image(_ i: Int) -> [UInt8] { Array(pixels[(i * imageSize)..<((i + 1) * imageSize)]) }

    /// SHA-256 of the content, as 64 hex digits: stable across runs, machines and languages.
    ///
    /// The hashed bytes are: H, W, C each as a little-endian UInt64, then all pixel bytes, then every
    /// label as a little-endian Int32. Name and class names are not part of it.
    public func contentHash() -> String {
        var sha = SHA256()
        var header: [UInt8] = []
        for d in imageShape { for s in 0..<8 { header.append(UInt8(truncatingIfNeeded: UInt64(d) >> UInt64(8 * s))) } }
        sha.update(header)
        sha.update(pixels)
        let littleEndian = labels.map { $0.littleEndian }
        littleEndian.withUnsafeBytes { sha.update($0) }
        return sha.hexDigest()
    }
}
