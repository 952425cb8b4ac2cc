import QuorumCore

/// Scores images held as bytes with one model, batch after batch: bytes to floats through the
/// normalisation table, forward pass, softmax, mean over the test-time views.
///
/// Evaluation after training and `quorum vote` both score through it, with the same batch size, so a
/// member's stored test probabilities and the ones `quorum vote` computes are the same bits.
public final class BatchPredictor {
    /// Images per forward pass, for evaluation and voting alike.
    public static let batchSize = 256

    /// The fewest images a forward pass runs: a smaller batch is padded with copies of its last image.
    ///
    /// oneDNN's GEMM picks its kernel by the number of rows, and the kernels round differently: measured here
    /// (AVX-512), every image's probabilities took one set of bits in batches of 1, another in batches of 2 to 15,
    /// and one set from 16 images up, whatever the batch size and the image's place in it (up to 256 images for
    /// cnn-a; mlp's 784×128 layer at one thread changes kernel again between 65 and 255). Padded to 16, an image
    /// scores the same bits alone (`quorum vote` on one file) and in a served batch of up to 64 images.
    public static let minimumRows = 16

    /// The network.
    public let model: Sequential
    /// The normalisation of the network's inputs.
    public let table: NormalizationTable
    private let scorer: AugmentedScorer
    private let batchSize: Int
    private let input = Tensor(shape: [0])
    private let probabilities = Tensor(shape: [0])

    /// A predictor for `model`, whose inputs are normalised by `table`, averaging the views of `augmentation`.
    /// It reuses its buffers, so one thread at a time may use it.
    public init(
        model: Sequential, table: NormalizationTable, augmentation: TestTimeAugmentation = .none,
        batchSize: Int = BatchPredictor.batchSize
    ) {
        precondition(batchSize > 0, "batch size must be positive")
        precondition(
            table.channels == model.spec.inputShape[2],
            "normalisation has \(table.channels) channels, the model takes \(model.spec.inputShape[2])")
        self.model = model
        self.table = table
        self.batchSize = batchSize
        scorer = AugmentedScorer(model: model, augmentation: augmentation, fill: table.black)
    }

    /// The softmax probabilities of the `count` images at `pixels` (HWC bytes of the model's input shape),
    /// written to `output` (`count × classes`, in order). After each batch `batchDone` gets the index of its
    /// first image, its probabilities (`[n, classes]`) and its logits (nil with test-time views), which the
    /// next batch overwrites. Batches under `minimumRows` images are padded for the forward pass only.
    public func predict(
        _ pixels: UnsafePointer<UInt8>, count: Int, into output: UnsafeMutablePointer<Float>,
        batchDone: (_ start: Int, _ probabilities: Tensor, _ logits: Tensor?) -> Void = { _, _, _ in }
    ) {
        let shape = model.spec.inputShape, size = shape.reduce(1, *), classes = model.spec.classes
        var start = 0
        while start < count {
            let n = min(batchSize, count - start), rows = max(n, Self.minimumRows)
            input.resize(to: [rows] + shape)
            table.normalize(pixels + start * size, count: n * size, into: input.data)
            for row in n..<rows { (input.data + row * size).update(from: input.data + (n - 1) * size, count: size) }
            let logits = scorer.score(input, into: probabilities)
            (output + start * classes).update(from: probabilities.data, count: n * classes)
            if rows == n {
                batchDone(start, probabilities, logits)
            } else {
                batchDone(start, Self.firstRows(n, of: probabilities), logits.map { Self.firstRows(n, of: $0) })
            }
            start += n
        }
    }

    /// A copy of the first `n` rows of `tensor` (`[rows, ...]`), for a padded batch's callback.
    private static func firstRows(_ n: Int, of tensor: Tensor) -> Tensor {
        let copy = Tensor(shape: [n] + tensor.shape.dropFirst())
        copy.data.update(from: tensor.data, count: copy.count)
        return copy
    }
}
