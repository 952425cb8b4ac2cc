import Foundation
import QuorumCore
import QuorumData

/// What a finished training run gives back: the model, its file, its history and its answers.
public struct TrainingOutcome {
    public var model: Sequential
    public var metadata: ModelMetadata
    /// The model file's bytes (safetensors), exactly as written to disk.
    public var modelFile: Data
    public var history: [EpochStats]
    /// Nil when no validation images were held out.
    public var validation: Evaluation?
    public var test: Evaluation
    /// Wall time of the training loop alone (not loading or evaluation).
    public var trainSeconds: Double
    /// Training images per second over all epochs.
    public var imagesPerSecond: Double
    /// One row per pruning round (round 0 first), empty when the run did not prune.
    public var pruneRounds: [PruneRound] = []
}
