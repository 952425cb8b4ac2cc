import Foundation
import QuorumCore

/// Turns a data source spec (a name, a folder or explicit files) into train/validation/test splits.
///
/// Specs:
/// - `fashion-mnist`: the Debian package `dataset-fashion-mnist` (IDX `.gz` files in its share folder).
/// - a folder holding `train-images-idx3-ubyte`, `train-labels-idx1-ubyte`, `t10k-images-idx3-ubyte`,
///   `t10k-labels-idx1-ubyte` (each raw or `.gz`), as MNIST and Fashion-MNIST ship.
/// - a CIFAR-10 folder holding `data_batch_1.bin` … `data_batch_5.bin` and `test_batch.bin`
///   (or its `cifar-10-batches-bin` subfolder).
/// - explicit files: `train=IMAGES:LABELS,test=IMAGES:LABELS` (IDX) or `train=FILE.csv,test=FILE.csv`.
///
/// A folder whose name contains `fashion` gets the Fashion-MNIST class names; other IDX and CSV data
/// get `0`, `1`, ….
public enum DataSource {
    /// Where the Debian package `dataset-fashion-mnist` installs its files.
    public static let fashionMNISTFolder = "/usr/share/datasets/fashion-mnist"
    /// The Debian package that provides Fashion-MNIST.
    public static let fashionMNISTPackage = "dataset-fashion-mnist"
    /// Fashion-MNIST's class names, by label.
    public static let fashionMNISTClassNames = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                                "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]

    /// Loads the data named by `spec` and holds out `validationSize` training images, chosen at random
    /// by `SeededGenerator(seed: seed, purpose: "split")` (0 gives an empty validation set).
    public static func load(_ spec: String, validationSize: Int = 5000, seed: UInt64) throws -> DataSplits {
        let (train, test) = try loadTrainTest(spec)
        guard train.imageShape == test.imageShape else {
            throw DataError.shapeMismatch(train: train.imageShape, test: test.imageShape)
        }
        return try split(train: train, test: test, validationSize: validationSize, seed: seed)
    }

    /// Splits a seeded random `validationSize` images off `train`; both parts keep the file order.
    public static func split(train full: Dataset, test: Dataset, validationSize: Int, seed: UInt64) throws -> DataSplits {
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
        return DataSplits(train: full.subset(trainIndices).renamed("\(base)/train"),
                          validation: full.subset(validationIndices).renamed("\(base)/validation"),
                          test: test)
    }

    /// The full training and test sets named by `spec`.
    public static func loadTrainTest(_ spec: String) throws -> (train: Dataset, test: Dataset) {
        let trimmed = spec.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { throw DataError.badSpec(spec: spec, reason: "empty") }
        if trimmed == "fashion-mnist" {
            guard directoryExists(fashionMNISTFolder) else {
                throw DataError.missingPackage(dataset: trimmed, folder: fashionMNISTFolder, package: fashionMNISTPackage)
            }
            return try loadIDXFolder(fashionMNISTFolder, name: "fashion-mnist", classNames: fashionMNISTClassNames)
        }
        if trimmed.contains("=") { return try loadExplicit(trimmed) }
        guard directoryExists(trimmed) else {
            throw DataError.badSpec(spec: spec, reason: "not a known data set name (fashion-mnist), a folder, or train=…,test=… files")
        }
        let folderName = URL(fileURLWithPath: trimmed).lastPathComponent
        for cifar in [trimmed, (trimmed as NSString).appendingPathComponent("cifar-10-batches-bin")]
        where FileManager.default.fileExists(atPath: (cifar as NSString).appendingPathComponent("data_batch_1.bin")) {
            let trainFiles = (1...5).map { (cifar as NSString).appendingPathComponent("data_batch_\($0).bin") }
            let testFile = (cifar as NSString).appendingPathComponent("test_batch.bin")
            for f in trainFiles + [testFile] where !FileManager.default.fileExists(atPath: f) {
                throw DataError.missingFile(folder: cifar, name: URL(fileURLWithPath: f).lastPathComponent)
            }
            let train = try CIFAR10Reader.read(paths: trainFiles).renamed("\(folderName)/train")
            let test = try CIFAR10Reader.read(paths: [testFile]).renamed("\(folderName)/test")
            return (train, test)
        }
        let names = folderName.lowercased().contains("fashion") ? fashionMNISTClassNames : (0..<10).map(String.init)
        return try loadIDXFolder(trimmed, name: folderName, classNames: names)
    }

    private static func loadIDXFolder(_ folder: String, name: String, classNames: [String]) throws -> (train: Dataset, test: Dataset) {
        func find(_ base: String) throws -> String {
            for candidate in [base, base + ".gz"] {
                let path = (folder as NSString).appendingPathComponent(candidate)
                if FileManager.default.fileExists(atPath: path) { return path }
            }
            throw DataError.missingFile(folder: folder, name: base)
        }
        let train = try IDXReader.read(images: find("train-images-idx3-ubyte"), labels: find("train-labels-idx1-ubyte"),
                                       name: "\(name)/train", classNames: classNames)
        let test = try IDXReader.read(images: find("t10k-images-idx3-ubyte"), labels: find("t10k-labels-idx1-ubyte"),
                                      name: "\(name)/test", classNames: classNames)
        return (train, test)
    }

    private static func loadExplicit(_ spec: String) throws -> (train: Dataset, test: Dataset) {
        var parts: [String: String] = [:]
        for item in spec.split(separator: ",") {
            let kv = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard kv.count == 2, ["train", "test"].contains(kv[0]), !kv[1].isEmpty else {
                throw DataError.badSpec(spec: spec, reason: "'\(item)' is not train=… or test=…")
            }
            guard parts[kv[0]] == nil else { throw DataError.badSpec(spec: spec, reason: "'\(kv[0])' is given twice") }
            parts[kv[0]] = kv[1]
        }
        guard let trainValue = parts["train"], let testValue = parts["test"] else {
            throw DataError.badSpec(spec: spec, reason: "both train=… and test=… are needed")
        }
        let isCSV = { (v: String) in v.lowercased().hasSuffix(".csv") || v.lowercased().hasSuffix(".csv.gz") }
        if isCSV(trainValue) && isCSV(testValue) {
            let rawTrain = try CSVReader.read(path: trainValue)
            let rawTest = try CSVReader.read(path: testValue)
            let classes = max(rawTrain.numClasses, rawTest.numClasses)
            let names = (0..<classes).map(String.init)
            return (rawTrain.renamed("csv/train", classNames: names), rawTest.renamed("csv/test", classNames: names))
        }
        func pair(_ key: String, _ v: String) throws -> (String, String) {
            let p = v.split(separator: ":", maxSplits: 1).map(String.init)
            guard p.count == 2, !p[0].isEmpty, !p[1].isEmpty else {
                throw DataError.badSpec(spec: spec, reason: "\(key)=\(v) must be IMAGES:LABELS (IDX) or a .csv file, for both train and test")
            }
            return (p[0], p[1])
        }
        let (trainImages, trainLabels) = try pair("train", trainValue)
        let (testImages, testLabels) = try pair("test", testValue)
        let names = (0..<10).map(String.init)
        return (try IDXReader.read(images: trainImages, labels: trainLabels, name: "idx/train", classNames: names),
                try IDXReader.read(images: testImages, labels: testLabels, name: "idx/test", classNames: names))
    }

    private static func directoryExists(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
