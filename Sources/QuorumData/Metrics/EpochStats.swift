/// One epoch of training: the numbers a learning curve plots, and how fast it went. Training writes it
/// (history files, RESULT messages) and reports read it; the validation figures are nil when no validation
/// images were held out.
public struct EpochStats: Codable, Equatable, Sendable {
    /// The epoch number, counting from 1.
    public var epoch: Int
    /// Mean training loss over the epoch.
    public var trainLoss: Double
    /// Training accuracy over the epoch (0...1).
    public var trainAccuracy: Double
    /// Loss on the validation split after the epoch; nil when no validation images were held out.
    public var validationLoss: Double?
    /// Accuracy on the validation split after the epoch (0...1); nil when no validation images were held out.
    public var validationAccuracy: Double?
    /// The learning rate at the end of the epoch.
    public var learningRate: Double
    /// Wall time of the epoch's training steps.
    public var seconds: Double
    /// Training throughput over the epoch.
    public var imagesPerSecond: Double

    /// One epoch's figures; a report that knows only losses and accuracies leaves the rest at 0.
    public init(
        epoch: Int, trainLoss: Double, trainAccuracy: Double, validationLoss: Double?,
        validationAccuracy: Double?, learningRate: Double = 0, seconds: Double = 0,
        imagesPerSecond: Double = 0
    ) {
        self.epoch = epoch
        self.trainLoss = trainLoss
        self.trainAccuracy = trainAccuracy
        self.validationLoss = validationLoss
        self.validationAccuracy = validationAccuracy
        self.learningRate = learningRate
        self.seconds = seconds
        self.imagesPerSecond = imagesPerSecond
    }
}
