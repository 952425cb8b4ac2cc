/// One epoch of a member's training history: losses and accuracies (fractions in 0...1) on both splits.
public struct EpochRecord: Codable, Sendable, Equatable {
    /// The epoch number, counting from 1.
    public var epoch: Int
    /// Mean training loss over the epoch.
    public var trainLoss: Double
    /// Training accuracy over the epoch (0...1).
    public var trainAccuracy: Double
    /// Loss on the validation split after the epoch.
    public var validationLoss: Double
    /// Accuracy on the validation split after the epoch (0...1).
    public var validationAccuracy: Double

    /// One epoch's figures.
    public init(epoch: Int, trainLoss: Double, trainAccuracy: Double, validationLoss: Double, validationAccuracy: Double) {
        self.epoch = epoch
        self.trainLoss = trainLoss
        self.trainAccuracy = trainAccuracy
        self.validationLoss = validationLoss
        self.validationAccuracy = validationAccuracy
    }

    enum CodingKeys: String, CodingKey {
        case epoch
        case trainLoss = "train_loss"
        case trainAccuracy = "train_accuracy"
        case validationLoss = "validation_loss"
        case validationAccuracy = "validation_accuracy"
    }
}
