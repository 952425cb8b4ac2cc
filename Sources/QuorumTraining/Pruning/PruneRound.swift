/// One row of a pruning run: the model after a round of pruning and retraining (round 0 is the model before).
public struct PruneRound: Codable, Equatable, Sendable {
    /// 0 for the unpruned model, then 1, 2, ….
    public var round: Int
    /// The model's layers in text form, e.g. `conv3x3(22) relu maxpool2 …`.
    public var layers: String
    /// Learnable scalars.
    public var parameters: Int
    /// Forward FLOPs per image.
    public var flops: Int
    /// Test accuracy after the round's retraining.
    public var testAccuracy: Double
    /// Inference throughput (batch 256, eval mode) measured right after the round.
    public var imagesPerSecond: Double
}
