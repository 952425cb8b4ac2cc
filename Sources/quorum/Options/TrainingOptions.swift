import ArgumentParser
import Foundation
import QuorumCore
import QuorumData
import QuorumEnsemble
import QuorumTraining

/// The flags that describe how a model is trained, shared by `train`, `finetune`, `local` and `coordinator`
/// (`prune` takes the groups it needs).
struct TrainingOptions: ParsableArguments {
    @OptionGroup var dataOptions: DataOptions

    @Option(
        help: """
            A preset (\(ModelSpec.presetNames.joined(separator: ", "))) or a layer list such as \
            'conv3x3(32) relu maxpool2 flatten dense(10)'.
            """)
    var model: String = "cnn-c"

    @Option(help: "Passes over the training set.")
    var epochs: Int = 10

    @OptionGroup var optimizerOptions: OptimizerOptions
    @OptionGroup var stepOptions: StepOptions

    @OptionGroup var initialization: InitializationOption

    @Option(
        help: """
            Keep an exponential moving average of the weights with this decay (e.g. 0.999), and validate, test and \
            save the average.
            """)
    var ema: Float?

    @Option(help: "Test-time augmentation of validation and test images.")
    var tta: TestTimeAugmentation = .flip

    @Option(
        help: """
            Start from this model file instead of a fresh --model (a new head when the classes differ). Workers must \
            be able to read the path.
            """)
    var initFrom: String?

    @Option(
        help: """
            Freeze layers (no optimizer step): 'all-but-last=N' (all but the last N layers with parameters) or \
            'until=L' (layers 0..<L).
            """)
    var freeze: String?

    @Option(help: "Classes the model scores (default: as many as the data has).")
    var numClasses: Int?

    @OptionGroup var pruneOptions: PruneOptions
    @OptionGroup var memberMethods: MemberMethodOptions

    /// The augmentation text of --augment (an ensemble reads `random` or a list from it).
    var augment: String { stepOptions.augment }

    /// The config these flags describe, checked. An ensemble passes `augment` itself (it may be `random` or a list);
    /// `finetune` passes the model file it starts from, which takes the place of --init-from.
    func config(augment: String? = nil, startingFrom start: String? = nil) throws -> TrainingConfig {
        var c = TrainingConfig()
        try dataOptions.apply(to: &c)
        stepOptions.apply(to: &c, augment: augment)
        c.model = model
        c.epochs = epochs
        c.optimizer = try optimizerOptions.settings()
        // Absolute, so workers started in another folder read the same file.
        c.initFrom = (start ?? initFrom).map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        c.freeze = freeze
        c.numClasses = numClasses
        c.initialization = initialization.configValue(freshNetwork: c.initFrom == nil)
        c.ema = ema
        c.testTimeAugmentation = tta == .none ? nil : tta
        c.prune = pruneOptions.settings
        memberMethods.apply(to: &c)
        do { try c.validate() } catch { throw ValidationError("\(error)") }
        return c
    }
}
