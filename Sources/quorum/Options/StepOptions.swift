import ArgumentParser
import QuorumCore
import QuorumData
import QuorumEnsemble
import QuorumTraining

/// How each optimizer step is taken: batch size, augmentation, sampling, loss weighting, seed and threads.
/// Shared by every command that trains.
struct StepOptions: ParsableArguments {
    @Option(help: "Images per optimizer step.")
    var batchSize: Int = 64

    @Option(
        help: """
            Augmentation: none, or comma-separated settings such as 'hflip,crop=2,rotate=10,brightness=0.2,erase=0.25' \
            (an unknown key is answered with the list of keys).
            """)
    var augment: String = "hflip,crop=2"

    @Option(help: "How epochs order the training images.")
    var sampling: SamplingStrategy = .shuffle

    @Option(help: "Class-weighted loss: 'balanced' or a weight per class 'w0,w1,...'.")
    var classWeights: String?

    @Option(help: "Label smoothing of the cross-entropy loss, in [0, 1).")
    var labelSmoothing: Float = 0.1

    @Option(help: "Seed of everything random: initialisation, shuffling, augmentation, dropout.")
    var seed: UInt64 = 1

    @Option(help: "Compute threads (oneDNN on OpenMP).")
    var threads: Int = 1

    /// Writes these flags into `config`; `augment` replaces --augment (an ensemble passes its own).
    func apply(to config: inout TrainingConfig, augment: String? = nil) {
        config.batchSize = batchSize
        config.augment = augment ?? self.augment
        config.sampling = sampling
        config.classWeights = classWeights
        config.labelSmoothing = labelSmoothing
        config.seed = seed
        config.threads = threads
    }
}
