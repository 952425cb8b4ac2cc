import QuorumCore

/// Turns batch number b of an epoch into normalised floats: the work the loader does either on the
/// caller's thread or on its prefetch thread. Its result depends only on (seed, epoch, b).
final class BatchProducer {
    let dataset: Dataset
    let order: [Int]
    let batchSize: Int
    let batchCount: Int
    let imageSize: Int
    private let channels: Int
    private let settings: AugmentationSettings
    private let boostedSettings: AugmentationSettings
    private let minority: [Bool]
    private let augmenter: Augmenter?
    /// The normalised value of each byte: a table lookup replaces the arithmetic.
    private let table: NormalizationTable
    private let augmentBase: UInt64

    init(
        dataset: Dataset, batchSize: Int, normalization: Normalization, augmentation: AugmentationSettings,
        order: [Int], seed: UInt64, epoch: Int, dropLast: Bool
    ) {
        precondition(batchSize > 0, "batch size must be positive")
        precondition(
            normalization.channels == dataset.channels,
            "normalisation has \(normalization.channels) channels, \(dataset.name) has \(dataset.channels)")
        self.dataset = dataset
        self.order = order
        self.batchSize = batchSize
        batchCount = dropLast ? order.count / batchSize : (order.count + batchSize - 1) / batchSize
        imageSize = dataset.imageSize
        channels = dataset.channels
        settings = augmentation
        boostedSettings = augmentation.boosted(by: augmentation.minorityBoost)
        minority =
            augmentation.minorityBoost > 0
            ? MinorityClasses.mask(classCounts: dataset.classCounts())
            : [Bool](repeating: false, count: dataset.numClasses)
        augmenter = augmentation.isIdentity ? nil : Augmenter(imageShape: dataset.imageShape)
        table = NormalizationTable(normalization)
        var mixer = SeededGenerator(seed: seed, purpose: "augment")
        var epochMixer = SeededGenerator(
            seed: mixer.next() ^ (UInt64(truncatingIfNeeded: epoch) &* 0x9e37_79b9_7f4a_7c15))
        augmentBase = epochMixer.next()
    }

    /// The number of images in batch `b`.
    func size(of b: Int) -> Int { min(batchSize, order.count - b * batchSize) }

    /// Writes batch `b` into `images` (n × imageSize floats) and `labels` (n), returning n.
    func fill(batch b: Int, images: UnsafeMutablePointer<Float>, labels: UnsafeMutablePointer<Int32>) -> Int {
        let n = size(of: b)
        var rng = SeededGenerator(seed: augmentBase ^ (UInt64(truncatingIfNeeded: b) &* 0xd1b5_4a32_d192_ed03))
        dataset.pixels.withUnsafeBufferPointer { pixels in
            for j in 0..<n {
                let index = order[b * batchSize + j]
                let label = dataset.labels[index]
                labels[j] = label
                let src = pixels.baseAddress! + index * imageSize
                let dst = images + j * imageSize
                if let augmenter {
                    for i in 0..<imageSize { dst[i] = Float(src[i]) * (1 / 255) }
                    let boost = Int(label) < minority.count && minority[Int(label)]
                    augmenter.apply(boost ? boostedSettings : settings, to: dst, using: &rng)
                    var i = 0
                    while i < imageSize {
                        for c in 0..<channels { dst[i + c] = table.standardized(dst[i + c], channel: c) }
                        i += channels
                    }
                } else {
                    table.normalize(src, count: imageSize, into: dst)
                }
            }
        }
        return n
    }
}
