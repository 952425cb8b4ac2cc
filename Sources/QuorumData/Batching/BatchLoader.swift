import QuorumCore

/// Hands out one epoch of training batches as normalised NHWC floats, augmenting each image on the way.
///
/// The augmentation of batch b in epoch e draws from a generator derived from (seed, e, b) alone, so the
/// batches are the same with or without the prefetch thread and whatever the caller does in between.
/// With `prefetch`, one background thread prepares the next batch while the caller trains on this one;
/// dropping the loader before the end stops that thread cleanly.
public final class BatchLoader {
    /// The number of batches this epoch yields.
    public var batchCount: Int { producer.batchCount }
    /// Images per full batch.
    public var batchSize: Int { producer.batchSize }
    /// The number of images this epoch yields (less than `order.count` when `dropLast` drops a partial batch).
    public var imageCount: Int {
        batchCount == 0 ? 0 : (batchCount - 1) * batchSize + producer.size(of: batchCount - 1)
    }

    private let producer: BatchProducer
    private let prefetcher: Prefetcher?
    private var nextBatch = 0

    /// A loader for the images `order` (indices into `dataset`, e.g. from `epochOrder`) of epoch `epoch`.
    /// `dropLast` drops a final batch smaller than `batchSize`.
    public init(
        dataset: Dataset, batchSize: Int, normalization: Normalization, augmentation: AugmentationSettings,
        order: [Int], seed: UInt64, epoch: Int, dropLast: Bool = false, prefetch: Bool = true
    ) {
        producer = BatchProducer(
            dataset: dataset, batchSize: batchSize, normalization: normalization,
            augmentation: augmentation, order: order, seed: seed, epoch: epoch, dropLast: dropLast)
        prefetcher = prefetch && producer.batchCount > 0 ? Prefetcher(producer: producer) : nil
    }

    deinit { prefetcher?.stop() }

    /// Plain batches of the whole data set in order, without augmentation (for evaluation).
    public static func evaluationBatches(dataset: Dataset, batchSize: Int, normalization: Normalization) -> BatchLoader
    {
        BatchLoader(
            dataset: dataset, batchSize: batchSize, normalization: normalization, augmentation: .none,
            order: Array(0..<dataset.count), seed: 0, epoch: 0, dropLast: false, prefetch: false)
    }

    /// Writes the next batch into `images` (resized to `[n, H, W, C]`) and `labels` (n values), reusing
    /// their storage; returns false, leaving both untouched, when the epoch is over.
    public func next(into images: Tensor, labels: inout [Int32]) -> Bool {
        guard nextBatch < producer.batchCount else { return false }
        let b = nextBatch
        nextBatch += 1
        let n = producer.size(of: b)
        images.resize(to: [n] + producer.dataset.imageShape)
        labels.removeAll(keepingCapacity: true)
        if let prefetcher {
            _ = prefetcher.take(batch: b, into: images.data, labels: &labels)
        } else {
            labels.reserveCapacity(producer.batchSize)
            for _ in 0..<n { labels.append(0) }
            labels.withUnsafeMutableBufferPointer { l in
                _ = producer.fill(batch: b, images: images.data, labels: l.baseAddress!)
            }
        }
        return true
    }
}
