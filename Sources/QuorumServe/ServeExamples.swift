import QuorumData
import QuorumEnsemble

/// The images the page offers to try: the first few of a test file given to `quorum serve --examples`.
public struct ServeExamples: Sendable {
    /// The images, in the ensemble's shape (nil: the page offers none).
    public let images: ImageArray?
    /// Their labels, when the file has them.
    public let labels: [Int32]?

    /// No examples.
    public init() {
        images = nil
        labels = nil
    }

    /// The first `limit` images of `batch` (read by `InputLoader`, so already in the ensemble's shape).
    public init(batch: InputBatch, limit: Int = 12) {
        let n = min(limit, batch.images.count), size = batch.images.imageShape.reduce(1, *)
        images = ImageArray(
            imageShape: batch.images.imageShape, pixels: Array(batch.images.pixels.prefix(n * size)), count: n)
        labels = batch.labels.map { Array($0.prefix(n)) }
    }

    /// The number of images offered.
    public var count: Int { images?.count ?? 0 }
}
