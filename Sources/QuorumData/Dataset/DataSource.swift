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
    public static func load(
        _ spec: DataSpec, from source: DataSpec? = nil, validationSize: Int = 5000,
        seed: UInt64
    ) throws -> DataSplits {
        let (train, test) = try spec.loadTrainTest(from: source)
        return try split(train: train, test: test, validationSize: validationSize, seed: seed)
    }

    /// Splits a seeded random `validationSize` images off `train`; both parts keep the file order.
    public static func split(train full: Dataset, test: Dataset, validationSize: Int, seed: UInt64) throws -> DataSplits
    {
        guard validationSize >= 0, validationSize <= full.count else {
            throw DataError.validationTooLarge(requested: validationSize, available: full.count)
        }
        var rng = SeededGenerator(seed: seed, purpose: "split")
        let permutation = Shuffle.permutation(full.count, using: &rng)
        var held = [Bool](repeating: false, count: full.count)
        for i in permutation.prefix(validationSize) { held[i] = true }
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
