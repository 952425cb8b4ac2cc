import ArgumentParser
import QuorumCore
import QuorumData
import QuorumEnsemble
import QuorumTraining

/// The optimizer, its hyperparameters and the learning-rate schedule. Shared by every command that trains.
struct OptimizerOptions: ParsableArguments {
    @Option(help: "The optimizer.")
    var optimizer: OptimizerKind = .adamw

    @Option(
        help: """
            Learning rate (default: 2e-3 for AdamW, 1e-3 for Adam and adam-sgd, 0.01 for SGD and RMSprop, 1.0 for \
            Adadelta).
            """)
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
    var schedule: LearningRateSchedule = .cosine(minimum: 0)

    @Option(
        help: "Epochs of linear learning-rate warm-up, fractions allowed (default: 1, or 0 with onecycle, its own).")
    var warmup: Double?

    /// The settings these flags describe, with the chosen optimizer's defaults for what was not given.
    /// Throws `OptimizerSettingsError` naming an option the optimizer does not use or a value out of range.
    func settings() throws -> OptimizerSettings {
        // One-cycle rises from a low rate itself, so it takes no warm-up.
        var ownWarmup = false
        if case .oneCycle = schedule { ownWarmup = true }
        return try OptimizerSettings(
            checking: optimizer, learningRate: lr, momentum: momentum, nesterov: nesterov,
            weightDecay: weightDecay, switchEpoch: switchEpoch, sgdLearningRate: sgdLr,
            schedule: schedule, warmupEpochs: warmup ?? (ownWarmup ? 0 : 1))
    }
}
