import QuorumCore

/// Scores images held as bytes with one model, batch after batch: bytes to floats through the
/// normalisation table, forward pass, softmax, mean over the test-time views.
///
/// Evaluation after training and `quorum vote` both score through it, with the same batch size, so a
/// member's stored test probabilities and the ones `quorum vote` computes are the same bits.
public final class BatchPredictor {
    /// Images per forward pass, for evaluation and voting alike.
    public static let batchSize = 256

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
    /// next batch overwrites.
    public func predict(
        _ pixels: UnsafePointer<UInt8>, count: Int, into output: UnsafeMutablePointer<Float>,
        batchDone: (_ start: Int, _ probabilities: Tensor, _ logits: Tensor?) -> Void = { _, _, _ in }
    ) {
        let shape = model.spec.inputShape, size = shape.reduce(1, *), classes = model.spec.classes
        var start = 0
        while start < count {
            let n = min(batchSize, count - start)
            input.resize(to: [n] + shape)
            table.normalize(pixels + start * size, count: n * size, into: input.data)
            let logits = scorer.score(input, into: probabilities)
            (output + start * classes).update(from: probabilities.data, count: n * classes)
            batchDone(start, probabilities, logits)
            start += n
        }
    }
}
