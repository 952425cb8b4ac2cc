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
    /// A snapshot job's earlier snapshots, cycles 1..<K in order; the outcome itself is cycle K. Empty
    /// for a job that yields one member.
    public var snapshots: [TrainingSnapshot] = []
}

/// One snapshot of a job that yields several members: the network at the end of one cycle.
public struct TrainingSnapshot {
    /// The cycle, from 1.
    public var cycle: Int
    /// The model file's bytes, as for a member of its own.
    public var modelFile: Data
    /// The history up to the end of this cycle.
    public var history: [EpochStats]
    /// Nil when no validation images were held out.
    public var validation: Evaluation?
    public var test: Evaluation
}
