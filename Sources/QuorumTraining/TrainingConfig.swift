/// Everything that decides how one model is trained. `quorum train` builds it from flags; the coordinator
/// sends it to a worker as a job; the model file keeps it for provenance. The same config, binary, oneDNN
/// instruction set (AVX2, AVX-512, …) and thread count give the same model file, byte for byte.
public struct TrainingConfig: Codable, Equatable, Sendable {
    /// The data set: `fashion-mnist`, a folder, or explicit files (see `DataSource`).
    public var data: String = "fashion-mnist"
    /// A preset (`mlp`, `cnn-a`, `cnn-b`) or a layer list.
    public var model: String = "cnn-a"
    /// Passes over the training set.
    public var epochs: Int = 10
    /// Images per optimizer step.
    public var batchSize: Int = 64
    /// The optimizer, its hyper-parameters and the learning-rate schedule.
    public var optimizer: OptimizerSettings = OptimizerSettings(kind: .adam)
    /// The one source of randomness: initialisation, shuffling, augmentation, dropout and the validation split.
    public var seed: UInt64 = 1
    /// Augmentation in its text form (`none`, `hflip,crop=2`, ...).
    public var augment: String = "none"
    /// Training images held out for validation.
    public var validationSize: Int = 5000
    /// The seed of the validation split. Members of one ensemble share it, so they are compared on the same images.
    public var splitSeed: UInt64 = 0
    /// `balanced`, `w0,w1,...`, or nil for none.
    public var classWeights: String? = nil
    /// How each epoch orders the training images.
    public var sampling: SamplingStrategy = .shuffle
    /// `CLASS=FRACTION,...`: keep only that share of those classes, for imbalance experiments.
    public var imbalance: String? = nil
    /// PyTorch's `label_smoothing`.
    public var labelSmoothing: Float = 0
    /// Use only the first N training images (after the validation split), for quick runs.
    public var trainLimit: Int? = nil
    /// Use only the first N test images.
    public var testLimit: Int? = nil
    /// Compute threads (oneDNN's OpenMP pool).
    public var threads: Int = 1
    /// Keep only these classes of the data set, relabelled 0, 1, … in this order (nil keeps all).
    public var classes: [Int]? = nil
    /// Keep only the first N training images of each class (nil keeps all).
    public var perClassLimit: Int? = nil
    /// Start from this model file instead of a fresh network (`model` is then ignored). A head for a
    /// different number or set of classes is replaced by a fresh one.
    public var initFrom: String? = nil
    /// Which layers take no optimizer step (`FreezeSpec` text: `all-but-last=N`, `until=L`).
    public var freeze: String? = nil
    /// The number of classes the model scores (nil: as many as the data has).
    public var numClasses: Int? = nil
    /// Prune filters after training, in rounds with retraining.
    public var prune: PruneSettings? = nil
    /// How a fresh network's parameters are drawn (nil: `he`, what `Sequential` does on its own).
    /// Optional, like the two below, so configs written before it existed read the same and a config that
    /// does not use it encodes exactly as before.
    public var initialization: InitializationScheme? = nil
    /// Decay of an exponential moving average of the weights (`WeightAverage`), or nil for none. When set,
    /// the average is what validation scores, what the test predictions come from and what is saved.
    public var ema: Float? = nil
    /// The views each validation and test image is scored in (nil: the image alone).
    public var testTimeAugmentation: TestTimeAugmentation? = nil
    /// An image folder's image size, `[H, W]` (nil: the folder's most common size). This and the three below
    /// apply to image-folder data only and are nil otherwise, so other configs encode exactly as before.
    public var imageSize: [Int]? = nil
    /// An image folder's channel count, 1 or 3 (nil: 3 when any file is in colour, else 1).
    public var channels: Int? = nil
    /// The share of each class an image folder without `train/` and `test/` holds out as its test set
    /// (nil: `ImageFolderOptions.defaultTestShare`); the split is drawn with `splitSeed`.
    public var testShare: Double? = nil
    /// Leave an image folder's unreadable files out rather than refuse the data set (nil: refuse).
    public var skipBadFiles: Bool? = nil
    /// The member's own sample of the training set (`MemberSample` text: `bootstrap`, `subsample=F`), drawn
    /// from `seed`; nil trains on every image. Like the fields above, nil stays out of the JSON.
    public var sample: String? = nil
    /// Several members from one job (snapshot ensembles, FGE); nil: the job yields one member.
    public var snapshots: SnapshotSettings? = nil
    /// Train as a student of a teacher's probabilities (knowledge distillation); nil: on the labels alone.
    public var distillation: DistillationSettings? = nil

    /// The image-folder options these fields give.
    public var imageFolderOptions: ImageFolderOptions {
        ImageFolderOptions(
            size: imageSize.flatMap { $0.count == 2 ? (height: $0[0], width: $0[1]) : nil }, channels: channels,
            testShare: testShare ?? ImageFolderOptions.defaultTestShare, seed: splitSeed,
            skipBadFiles: skipBadFiles ?? false)
    }

    /// The defaults: cnn-a, Adam 1e-3, batch 64, 10 epochs, seed 1, no augmentation, 1 thread. (The command
    /// line defaults to the measured recipe instead: cnn-c, AdamW, cosine; docs/accuracy.md.)
    public init() {}

    /// Checks every field, naming the first bad one.
    public func validate() throws {
        func bad(_ field: String, _ why: String) -> TrainingError { .badConfig(field: field, reason: why) }
        // A run that starts from a model file may train zero epochs before pruning (or just re-evaluate).
        guard epochs >= (initFrom == nil ? 1 : 0) else {
            throw bad("epochs", initFrom == nil ? "must be at least 1" : "must not be negative")
        }
        guard (1...65536).contains(batchSize) else { throw bad("batch_size", "must be between 1 and 65536") }
        guard validationSize >= 0 else { throw bad("validation_size", "must not be negative") }
        guard (1...256).contains(threads) else { throw bad("threads", "must be between 1 and 256") }
        guard labelSmoothing >= 0, labelSmoothing < 1 else { throw bad("label_smoothing", "must be in [0, 1)") }
        if let n = trainLimit, n < 1 { throw bad("train_limit", "must be at least 1") }
        if let n = testLimit, n < 1 { throw bad("test_limit", "must be at least 1") }
        if let n = perClassLimit, n < 1 { throw bad("per_class_limit", "must be at least 1") }
        if let n = numClasses, n < 1 { throw bad("num_classes", "must be at least 1") }
        if let list = classes {
            guard !list.isEmpty, list.allSatisfy({ $0 >= 0 }), Set(list).count == list.count else {
                throw bad("classes", "must list distinct non-negative class labels, got \(list)")
            }
        }
        if let size = imageSize, size.count != 2 || !size.allSatisfy({ (1...ReaderLimits.imageSide).contains($0) }) {
            throw bad("image_size", "must be [height, width], each 1...\(ReaderLimits.imageSide), got \(size)")
        }
        if let channels, channels != 1 && channels != 3 { throw bad("channels", "must be 1 or 3, got \(channels)") }
        if let share = testShare, !(share >= 0 && share < 1) {
            throw bad("test_share", "must be a share in [0, 1), got \(share)")
        }
        if let ema, !(ema > 0 && ema < 1) { throw bad("ema", "must be a decay strictly between 0 and 1, got \(ema)") }
        if initialization != nil && initFrom != nil {
            throw bad("initialization", "does not apply to a run that starts from a model file (init_from)")
        }
        if let freeze { do { _ = try FreezeSpec(parsing: freeze) } catch { throw bad("freeze", "\(error)") } }
        try prune?.validate()
        try optimizer.validate()
        do { _ = try AugmentationSettings(parsing: augment) } catch { throw bad("augment", "\(error)") }
        if let snapshots {
            try snapshots.validate(epochs: epochs)
            if prune != nil { throw bad("snapshots", "cannot be combined with prune") }
        }
        try distillation?.validate()
        if let sample { do { _ = try MemberSample(parsing: sample) } catch { throw bad("sample", "\(error)") } }
        if let imbalance {
            do { _ = try ImbalanceSpec(parsing: imbalance) } catch { throw bad("imbalance", "\(error)") }
        }
    }

    /// The config as sorted JSON text (for model files and job messages).
    public var jsonText: String {
        let encoder = JSONCoding.encoder(.compact, keys: .declared)
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }
}

import Foundation
import QuorumData
import QuorumCore
