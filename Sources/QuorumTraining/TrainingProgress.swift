/// A progress report during training: sent after every few batches and at the end of every epoch.
public struct TrainingProgress: Sendable {
    /// The epoch under way, from 1.
    public var epoch: Int
    public var epochs: Int
    /// Batches done in this epoch.
    public var batch: Int
    public var batches: Int
    /// Running mean loss and accuracy over this epoch so far.
    public var loss: Double
    public var accuracy: Double
    /// Training throughput over this epoch so far.
    public var imagesPerSecond: Double
    /// Estimated seconds until training ends.
    public var etaSeconds: Double
    /// Set when the epoch is over.
    public var finishedEpoch: EpochStats?
}
