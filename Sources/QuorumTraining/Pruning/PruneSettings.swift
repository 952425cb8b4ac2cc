import QuorumCore

/// Filter pruning as part of a training run: after the ordinary epochs, `rounds` rounds each remove an equal
/// share of `ratio` of every prunable convolution's filters (lowest L1 norm first) and retrain for
/// `retrainEpochs` epochs.
public struct PruneSettings: Codable, Equatable, Sendable {
    /// The share of each convolution's original filters removed by the end, in (0, 1).
    public var ratio: Double
    /// How many prune-and-retrain rounds reach `ratio`.
    public var rounds: Int
    /// Epochs of retraining after each round (0 prunes without retraining).
    public var retrainEpochs: Int

    /// Settings for `ratio` reached in `rounds` rounds with `retrainEpochs` epochs each.
    public init(ratio: Double, rounds: Int = 1, retrainEpochs: Int = 1) {
        self.ratio = ratio
        self.rounds = rounds
        self.retrainEpochs = retrainEpochs
    }

    /// Checks the fields, naming the first bad one.
    public func validate() throws {
        guard ratio > 0, ratio < 1 else {
            throw TrainingError.badConfig(field: "prune.ratio", reason: "must be in (0, 1), got \(ratio)")
        }
        guard (1...100).contains(rounds) else {
            throw TrainingError.badConfig(field: "prune.rounds", reason: "must be between 1 and 100")
        }
        guard retrainEpochs >= 0 else {
            throw TrainingError.badConfig(field: "prune.retrain_epochs", reason: "must not be negative")
        }
    }

    /// The filters each layer keeps after `round` of the rounds, given its original counts.
    public func keepCounts(original: [Int: Int], afterRound round: Int) -> [Int: Int] {
        FilterPruner.keepCounts(original: original, fraction: ratio * Double(round) / Double(rounds))
    }
}
