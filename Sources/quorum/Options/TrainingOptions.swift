import ArgumentParser
import Foundation
import QuorumTraining
import QuorumData
import QuorumCore

/// The flags that describe how a model is trained, shared by `train`, `local` and `coordinator`.
struct TrainingOptions: ParsableArguments {
    @Option(help: "Data set: 'fashion-mnist', a folder of MNIST-style IDX files or CIFAR-10 binaries, or 'train=IMAGES:LABELS,test=IMAGES:LABELS'.")
    var data: String = "fashion-mnist"

    @Option(help: """
        A preset (mlp, cnn-a, cnn-b, cnn-c) or a layer list such as 'conv3x3(32) relu maxpool2 flatten dense(10)'.
        """)
    var model: String = "cnn-a"

    @Option(help: "Passes over the training set.")
    var epochs: Int = 10

    @Option(help: "Images per optimizer step.")
    var batchSize: Int = 64

    @Option(help: "sgd, adam, adamw, rmsprop, adadelta, or adam-sgd (Adam, then SGD when the SWATS estimate settles).")
    var optimizer: String = "adam"

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

    @Option(help: """
        Learning-rate schedule: constant, step:EVERY:GAMMA (e.g. step:5:0.5), cosine, cosine:MIN, onecycle or \
        onecycle:PEAK (PyTorch's OneCycleLR; takes no --warmup).
        """)
    var schedule: String = "constant"

    @Option(help: "Epochs of linear learning-rate warm-up (fractions allowed).")
    var warmup: Double = 0

    @Option(name: .customLong("init"),
            help: """
                Initialisation: he (He-uniform weights, zero biases), he-normal, xavier, xavier-normal, or pytorch \
                (PyTorch's default: weights and biases U(±1/√fan-in)).
                """)
    var initialization: InitializationScheme = .he

    @Option(help: """
        Keep an exponential moving average of the weights with this decay (e.g. 0.999), and validate, test and \
        save the average.
        """)
    var ema: Float?

    @Option(help: """
        Test-time augmentation of validation and test images: none, flip (image and mirror), or flip-shift \
        (also ±1-pixel shifts).
        """)
    var tta: TestTimeAugmentation = .none

    @Option(help: "Seed of everything random: initialisation, shuffling, augmentation, dropout.")
    var seed: UInt64 = 1

    @Option(help: "Augmentation: none, or e.g. 'hflip,crop=2,rotate=10,brightness=0.2,contrast=0.2,color=0.1,blur=0.1,blur-sigma=1,erase=0.25,boost=1'.")
    var augment: String = "none"

    @Option(help: "Training images held out for validation (a seeded split).")
    var validationSize: Int = 5000

    @Option(help: "Class-weighted loss: 'balanced' or a weight per class 'w0,w1,...'.")
    var classWeights: String?

    @Option(help: "How epochs order the images: shuffle, oversample or undersample.")
    var sampling: SamplingStrategy = .shuffle

    @Option(help: "Make the training set imbalanced for experiments: 'CLASS=FRACTION,...' keeps that share of each class named.")
    var imbalance: String?

    @Option(help: "Label smoothing of the cross-entropy loss, in [0, 1).")
    var labelSmoothing: Float = 0

    @Option(help: "Train on the first N training images only (quick runs).")
    var trainLimit: Int?

    @Option(help: "Test on the first N test images only.")
    var testLimit: Int?

    @Option(help: "BLAS threads.")
    var threads: Int = 1

    @Option(help: "Keep only these classes, relabelled 0, 1, … in this order, e.g. '5,6,7,8,9'.")
    var classes: String?

    @Option(help: "Train on the first N images of each class only (after --classes).")
    var perClassLimit: Int?

    @Option(help: "Start from this model file instead of a fresh --model (a new head when the classes differ). Workers must be able to read the path.")
    var initFrom: String?

    @Option(help: "Freeze layers (no optimizer step): 'all-but-last=N' (all but the last N layers with parameters) or 'until=L' (layers 0..<L).")
    var freeze: String?

    @Option(help: "Classes the model scores (default: as many as the data has).")
    var numClasses: Int?

    @Option(help: "After training, prune this share of every convolution's filters (lowest L1 norm first), in (0, 1).")
    var pruneRatio: Double?

    @Option(help: "Prune-and-retrain rounds that reach --prune-ratio.")
    var pruneRounds: Int = 3

    @Option(help: "Epochs of retraining after each pruning round.")
    var retrainEpochs: Int = 1

    /// The config these flags describe, checked. An ensemble passes `augment` itself (it may be `random` or a list).
    func config(augment: String? = nil) throws -> TrainingConfig {
        var c = TrainingConfig()
        c.data = data
        c.model = model
        c.epochs = epochs
        c.batchSize = batchSize
        c.optimizer = try OptimizerSettings(optimizer: optimizer, learningRate: lr, momentum: momentum, nesterov: nesterov,
                                            weightDecay: weightDecay, switchEpoch: switchEpoch, sgdLearningRate: sgdLr,
                                            schedule: schedule, warmupEpochs: warmup)
        c.seed = seed
        c.augment = augment ?? self.augment
        c.validationSize = validationSize
        c.classWeights = classWeights
        c.sampling = sampling
        c.imbalance = imbalance
        c.labelSmoothing = labelSmoothing
        c.trainLimit = trainLimit
        c.testLimit = testLimit
        c.threads = threads
        c.classes = try classes.map(TrainingOptions.classList)
        c.perClassLimit = perClassLimit
        // Absolute, so workers started in another folder read the same file.
        c.initFrom = initFrom.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        c.freeze = freeze
        c.numClasses = numClasses
        // The defaults stay out of the config, so a run without these flags keeps its config and model bytes.
        c.initialization = initialization == .he ? nil : initialization
        c.ema = ema
        c.testTimeAugmentation = tta == .none ? nil : tta
        c.prune = pruneRatio.map { PruneSettings(ratio: $0, rounds: pruneRounds, retrainEpochs: retrainEpochs) }
        do { try c.validate() } catch { throw ValidationError("\(error)") }
        return c
    }
}

extension TrainingOptions {
    /// Parses `5,6,7` into class labels.
    static func classList(_ text: String) throws -> [Int] {
        let items = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let labels = items.compactMap { Int($0) }
        guard !items.isEmpty, labels.count == items.count, labels.allSatisfy({ $0 >= 0 }) else {
            throw ValidationError("--classes must be a comma-separated list of class labels such as 5,6,7,8,9, got '\(text)'")
        }
        return labels
    }
}

extension SamplingStrategy: ExpressibleByArgument {}
extension InitializationScheme: ExpressibleByArgument {}
extension TestTimeAugmentation: ExpressibleByArgument {}
