import QuorumData

/// The data one training run uses, ready for batching: splits after imbalance and limits, the
/// normalisation, and the class weights. Loading it once lets a worker train many members from one copy.
public struct PreparedData: Sendable {
    public var train: Dataset
    public var validation: Dataset
    public var test: Dataset
    public var normalization: Normalization
    /// The data set's identity: its spec, the split and every setting that changed the images.
    public var key: String
    /// Image files left out as unreadable (`skip_bad_files`), with reasons.
    public var skipped: [BadImageFile] = []

    /// Loads and splits the data a config names, applying `imbalance` and the limits. With `source` (a shipped
    /// copy's spec on a worker) the files are read from there, and named and normalised as `config.data` says.
    /// `progress(done, total)` follows the decoding of an image folder's files when its cache must be made.
    public static func load(
        for config: TrainingConfig, from source: DataSpec? = nil,
        progress: (@Sendable (_ done: Int, _ total: Int) -> Void)? = nil
    ) throws -> PreparedData {
        let spec = try DataSpec(parsing: config.data)
        var images = config.imageFolderOptions
        images.progress = progress
        var splits = try DataSource.load(
            spec, from: source, validationSize: config.validationSize,
            seed: config.splitSeed, images: images)
        if let text = config.imbalance {
            splits.train = try ImbalanceSpec(parsing: text).apply(to: splits.train, seed: config.splitSeed)
        }
        if let classes = config.classes {
            let known = max(splits.train.numClasses, splits.test.numClasses)
            if let bad = classes.first(where: { $0 >= known }) {
                throw TrainingError.badConfig(
                    field: "classes", reason: "class \(bad) is not in the data (labels 0..<\(known))")
            }
            splits = DataSplits(
                train: splits.train.selectingClasses(classes), validation: splits.validation.selectingClasses(classes),
                test: splits.test.selectingClasses(classes))
        }
        if let n = config.perClassLimit { splits.train = splits.train.limitedPerClass(n) }
        splits = splits.limited(train: config.trainLimit, test: config.testLimit)
        let normalization = spec.fixedNormalization ?? Normalization.fit(splits.train)
        return PreparedData(
            train: splits.train, validation: splits.validation, test: splits.test,
            normalization: normalization, key: PreparedData.key(for: config), skipped: splits.skipped)
    }

    /// The settings that decide which images a run sees; runs with the same key can share one copy.
    public static func key(for config: TrainingConfig) -> String {
        let classes: String = config.classes.map { list in list.map(String.init).joined(separator: ",") } ?? ""
        let parts: [String] = [
            config.data, "\(config.validationSize)", "\(config.splitSeed)", config.imbalance ?? "",
            config.trainLimit.map(String.init) ?? "", config.testLimit.map(String.init) ?? "",
            classes, config.perClassLimit.map(String.init) ?? ""
        ]
        let images = [
            config.imageSize.map { $0.map(String.init).joined(separator: ",") }, config.channels.map(String.init),
            config.testShare.map { "\($0)" }, config.skipBadFiles.map { "\($0)" }
        ]
        // Image-folder settings are appended only when set, so other data sets keep the keys they had.
        let imageParts = images.allSatisfy { $0 == nil } ? [] : images.map { $0 ?? "" }
        return (parts + imageParts).joined(separator: "|")
    }
}
