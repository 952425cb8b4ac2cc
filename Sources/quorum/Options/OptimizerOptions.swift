import ArgumentParser
import QuorumCore
import QuorumData
import QuorumEnsemble
import QuorumTraining

/// The optimizer, its hyperparameters and the learning-rate schedule. Shared by every command that trains.
struct OptimizerOptions: ParsableArguments {
    @Option(help: "The optimizer.")
    var optimizer: OptimizerKind = .adam

    @Option(help: "Learning rate (default: 1e-3 for Adam-like optimizers, 0.01 for SGD and RMSprop, 1.0 for Adadelta).")
    var lr: Float?

    @Option(help: "SGD/RMSprop momentum.")
    var momentum: Float?

    @Flag(help: "Use Nesterov momentum with SGD.")
    var nesterov = false

    @Option(help: "Weight decay (L2 for SGD/Adam/RMSprop/Adadelta, decoupled for AdamW).")
    var weightDecay: Float?

    @Option(help: "adam-sgd: switch to SGD at the start of this epoch instead of by the SWATS rule.")
    var switchEpoch: Int?

    @Option(help: "adam-sgd: the SGD learning rate after a switch at --switch-epoch.")
    var sgdLr: Float?

    @Option(help: "Learning-rate schedule after any --warmup.")
    var schedule: LearningRateSchedule = .constant

    @Option(help: "Epochs of linear learning-rate warm-up (fractions allowed).")
    var warmup: Double = 0

    /// The settings these flags describe, with the chosen optimizer's defaults for what was not given.
    /// Throws `OptimizerSettingsError` naming an option the optimizer does not use or a value out of range.
    func settings() throws -> OptimizerSettings {
        try OptimizerSettings(
            checking: optimizer, learningRate: lr, momentum: momentum, nesterov: nesterov,
            weightDecay: weightDecay, switchEpoch: switchEpoch, sgdLearningRate: sgdLr,
            schedule: schedule, warmupEpochs: warmup)
    }
}
