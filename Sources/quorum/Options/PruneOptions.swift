import ArgumentParser
import QuorumCore
import QuorumData
import QuorumEnsemble
import QuorumTraining

/// Filter pruning after training: how much, in how many rounds, with how much retraining. Shared by every
/// command that trains; `quorum prune` requires --prune-ratio.
struct PruneOptions: ParsableArguments {
    @Option(
        help: """
            Prune this share, in (0, 1), of every convolution's filters (lowest L1 norm first) after the training \
            epochs.
            """)
    var pruneRatio: Double?

    @Option(help: "Prune-and-retrain rounds that reach --prune-ratio.")
    var pruneRounds: Int = 3

    @Option(help: "Epochs of retraining after each pruning round.")
    var retrainEpochs: Int = 1

    /// The pruning these flags ask for, or nil without --prune-ratio.
    var settings: PruneSettings? {
        pruneRatio.map { PruneSettings(ratio: $0, rounds: pruneRounds, retrainEpochs: retrainEpochs) }
    }
}
