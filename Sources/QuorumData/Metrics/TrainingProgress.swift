/// Where a training run is: reported after every few batches and at the end of every epoch, shown by
/// `quorum train`, and sent by workers as PROGRESS (whose header carries it beside the job id).
///
/// The wire carries the fields its `CodingKeys` name; `etaSeconds` and `finishedEpoch` stay on the machine
/// that trains (a coordinator works the time left out from its plan).
public struct TrainingProgress: Codable, Equatable, Sendable {
    /// The epoch under way, from 1.
    public var epoch: Int
    /// Epochs in the run.
    public var epochs: Int
    /// Batches done in this epoch.
    public var batch: Int
    /// Batches per epoch.
    public var batches: Int
    /// Running mean training loss over this epoch so far.
    public var loss: Double
    /// Running training accuracy over this epoch so far, 0...1.
    public var accuracy: Double
    /// Validation loss, only at the end of an epoch that held out validation images.
    public var validationLoss: Double?
    /// Validation accuracy, only at the end of an epoch that held out validation images.
    public var validationAccuracy: Double?
    /// Training throughput over this epoch so far.
    public var imagesPerSecond: Double
    /// Estimated seconds until training ends (not sent).
    public var etaSeconds: Double = 0
    /// The epoch's full record, set when the epoch is over (not sent).
    public var finishedEpoch: EpochStats?

    /// A report from its fields; the validation figures are those of `finishedEpoch`.
    public init(
        epoch: Int, epochs: Int, batch: Int, batches: Int, loss: Double, accuracy: Double,
        imagesPerSecond: Double, etaSeconds: Double = 0, finishedEpoch: EpochStats? = nil
    ) {
        self.init(
            epoch: epoch, epochs: epochs, batch: batch, batches: batches, loss: loss, accuracy: accuracy,
            validationLoss: finishedEpoch?.validationLoss, validationAccuracy: finishedEpoch?.validationAccuracy,
            imagesPerSecond: imagesPerSecond)
        self.etaSeconds = etaSeconds
        self.finishedEpoch = finishedEpoch
    }

    /// A report as the wire carries it.
    public init(
        epoch: Int, epochs: Int, batch: Int, batches: Int, loss: Double, accuracy: Double,
        validationLoss: Double?, validationAccuracy: Double?, imagesPerSecond: Double
    ) {
        self.epoch = epoch
        self.epochs = epochs
        self.batch = batch
        self.batches = batches
        self.loss = loss
        self.accuracy = accuracy
        self.validationLoss = validationLoss
        self.validationAccuracy = validationAccuracy
        self.imagesPerSecond = imagesPerSecond
    }

    enum CodingKeys: String, CodingKey {
        case epoch, epochs, batch, batches, loss, accuracy
        case validationLoss = "validation_loss", validationAccuracy = "validation_accuracy"
        case imagesPerSecond = "images_per_second"
    }
}
