import Foundation
import QuorumCore

/// Loads a data set's train/validation/test splits from its spec (`DataSpec` says what the text means).
public enum DataSource {
    /// Where the Debian package `dataset-fashion-mnist` installs its files.
    public static let fashionMNISTFolder = DataSpec.fashionMNISTFolder
    /// The Debian package that provides Fashion-MNIST.
    public static let fashionMNISTPackage = DataSpec.fashionMNISTPackage
    /// Fashion-MNIST's class names, by label.
    public static let fashionMNISTClassNames = DataSpec.fashionMNISTClassNames

    /// Loads the data named by `spec` and holds out `validationSize` training images, chosen at random
    /// by `SeededGenerator(seed: seed, purpose: "split")` (0 gives an empty validation set).
    public static func load(_ spec: String, validationSize: Int = 5000, seed: UInt64) throws -> DataSplits {
        try load(DataSpec(parsing: spec), validationSize: validationSize, seed: seed)
    }

    /// Loads the data `spec` names (read from `source`'s files when given: a shipped copy) and holds out
    /// `validationSize` training images as `load(_:validationSize:seed:)` does.
    /// An image folder is made as `images` says and its validation split is stratified (`ValidationSplit`).
    public static func load(
        _ spec: DataSpec, from source: DataSpec? = nil, validationSize: Int = 5000,
        seed: UInt64, images: ImageFolderOptions = ImageFolderOptions()
    ) throws -> DataSplits {
        let sets = try spec.loadAll(from: source, images: images)
        var splits = try split(
            train: sets.train, test: sets.test, validationSize: validationSize, seed: seed,
            stratified: (source ?? spec).isImageFolder)
        splits.skipped = sets.skipped
        return splits
    }

    /// The default validation size for the data `spec` names (`ValidationSplit.defaultSize`), from its
    /// training set's class counts; an image folder is read (and its cache made) as `images` says.
    public static func defaultValidationSize(
        _ spec: DataSpec, images: ImageFolderOptions = ImageFolderOptions()
    ) throws -> Int {
        ValidationSplit.defaultSize(classCounts: try spec.loadAll(images: images).train.classCounts())
    }

    /// Splits a seeded random `validationSize` images off `train` (`stratified`: per class, as
    /// `ValidationSplit.stratified` draws them); both parts keep the file order.
    public static func split(
        train full: Dataset, test: Dataset, validationSize: Int, seed: UInt64, stratified: Bool = false
    ) throws -> DataSplits {
        guard validationSize >= 0, validationSize <= full.count else {
            throw DataError.validationTooLarge(requested: validationSize, available: full.count)
        }
        var held = [Bool](repeating: false, count: full.count)
        if stratified {
            held = ValidationSplit.stratified(labels: full.labels, size: validationSize, seed: seed)
        } else {
            var rng = SeededGenerator(seed: seed, purpose: "split")
            let permutation = Shuffle.permutation(full.count, using: &rng)
            for i in permutation.prefix(validationSize) { held[i] = true }
        }
        let trainIndices = (0..<full.count).filter { !held[$0] }
        let validationIndices = (0..<full.count).filter { held[$0] }
        let base = full.name.hasSuffix("/train") ? String(full.name.dropLast(6)) : full.name
        return DataSplits(
            train: full.subset(trainIndices).renamed("\(base)/train"),
            validation: full.subset(validationIndices).renamed("\(base)/validation"),
            test: test)
    }

    /// The full training and test sets named by `spec`.
    public static func loadTrainTest(_ spec: String) throws -> (train: Dataset, test: Dataset) {
        try DataSpec(parsing: spec).loadTrainTest()
    }
}
