import Foundation

/// What a `--data` value or a job's `data` field names, parsed once: which files hold the data set, what its
/// splits and classes are called, and whether it has fixed normalisation constants.
///
/// Training, workers, data shipping and the CLI ask this type and never look at the text themselves, so a
/// new kind of source (e.g. a folder of class folders of images) is one more case here and in `DataFiles`.
///
/// Text forms (`description` gives the same form back):
/// - `fashion-mnist`: the Debian package `dataset-fashion-mnist` (IDX `.gz` files in its share folder);
/// - a folder holding `train-images-idx3-ubyte`, `train-labels-idx1-ubyte`, `t10k-images-idx3-ubyte`,
///   `t10k-labels-idx1-ubyte` (each raw or `.gz`), as MNIST and Fashion-MNIST ship, or CIFAR-10's
///   `data_batch_1.bin` … `data_batch_5.bin` and `test_batch.bin` (or its `cifar-10-batches-bin` subfolder);
/// - explicit files: `train=IMAGES:LABELS,test=IMAGES:LABELS` (IDX) or `train=FILE.csv,test=FILE.csv`.
///
/// - a folder of class folders of JPEG, PNG or PGM images (`CLASS/*`, or `train/CLASS/*` and `test/CLASS/*`),
///   read with `ImageFolderOptions`, or a folder holding one shipped decoded-image cache of such a folder.
///
/// A folder whose name contains `fashion` gets the Fashion-MNIST class names; other IDX and CSV data get
/// `0`, `1`, …; CIFAR-10 gets its own names; an image folder's classes are its folder names, sorted.
public enum DataSpec: Hashable, Sendable, CustomStringConvertible {
    /// Fashion-MNIST as the Debian package installs it.
    case fashionMNIST
    /// A folder of IDX files or CIFAR-10 batches (which of the two is decided when its files are located).
    case folder(path: String)
    /// Explicit IDX image and label files for the training and the test set.
    case idxFiles(trainImages: String, trainLabels: String, testImages: String, testLabels: String)
    /// Explicit CSV files (`label,p1,p2,…` rows) for the training and the test set.
    case csvFiles(train: String, test: String)

    /// The name `fashion-mnist` is spelled with.
    public static let fashionMNISTName = "fashion-mnist"
    /// Where the Debian package `dataset-fashion-mnist` installs its files.
    public static let fashionMNISTFolder = "/usr/share/datasets/fashion-mnist"
    /// The Debian package that provides Fashion-MNIST.
    public static let fashionMNISTPackage = "dataset-fashion-mnist"
    /// Fashion-MNIST's class names, by label.
    public static let fashionMNISTClassNames = [
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
        "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"
    ]

    /// Parses a spec's text (surrounding blanks are ignored). Only the form is checked here; `locate()` finds
    /// the files. Throws `DataError.badSpec` naming the part that is wrong.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { throw DataError.badSpec(spec: text, reason: "empty") }
        if trimmed == Self.fashionMNISTName {
            self = .fashionMNIST
        } else if trimmed.contains("=") {
            self = try Self.parseFiles(trimmed)
        } else {
            self = .folder(path: trimmed)
        }
    }

    /// The spec's text form, which parses back to the same spec.
    public var description: String {
        switch self {
        case .fashionMNIST: return Self.fashionMNISTName
        case .folder(let path): return path
        case let .idxFiles(trainImages, trainLabels, testImages, testLabels):
            return "train=\(trainImages):\(trainLabels),test=\(testImages):\(testLabels)"
        case let .csvFiles(train, test): return "train=\(train),test=\(test)"
        }
    }

    /// The first part of the splits' names (`NAME/train`, `NAME/validation`, `NAME/test`).
    public var name: String {
        switch self {
        case .fashionMNIST: return Self.fashionMNISTName
        case .folder(let path): return URL(fileURLWithPath: path).lastPathComponent
        case .idxFiles: return "idx"
        case .csvFiles: return "csv"
        }
    }

    /// The normalisation the data set is always used with (Fashion-MNIST's published constants, as the
    /// reference nets use), or nil: fit it to the training split.
    public var fixedNormalization: Normalization? { self == .fashionMNIST ? .fashionMNIST : nil }

    /// The files this spec names on this machine, each a regular file (a spec from a peer must not make this
    /// machine read a device or a pipe). Throws a `DataError` naming what is missing.
    public func locate() throws -> DataFiles {
        switch self {
        case .fashionMNIST:
            guard Self.isDirectory(Self.fashionMNISTFolder) else {
                throw DataError.missingPackage(
                    dataset: Self.fashionMNISTName, folder: Self.fashionMNISTFolder,
                    package: Self.fashionMNISTPackage)
            }
            return try DataFiles.folder(Self.fashionMNISTFolder)
        case .folder(let path):
            guard Self.isDirectory(path) else {
                throw DataError.badSpec(
                    spec: path,
                    reason: "not a known data set name (\(Self.fashionMNISTName)), "
                        + "a folder, or train=…,test=… files")
            }
            return try DataFiles.folder(path)
        case let .idxFiles(trainImages, trainLabels, testImages, testLabels):
            let paths = [trainImages, trainLabels, testImages, testLabels]
            return try DataFiles.explicit(.idx, zip(DataFiles.idxNames, paths))
        case let .csvFiles(train, test):
            return try DataFiles.explicit(.csv, zip(DataFiles.csvNames, [train, test]))
        }
    }

    /// The spec that reads a copy of this data set's files, as shipped under their plain names into `folder`.
    public func copy(in folder: URL) -> DataSpec {
        let path = { (name: String) in folder.appendingPathComponent(name).path }
        switch self {
        case .fashionMNIST, .folder: return .folder(path: folder.path)
        case .idxFiles:
            let names = DataFiles.idxNames
            return .idxFiles(
                trainImages: path(names[0]), trainLabels: path(names[1]),
                testImages: path(names[2]), testLabels: path(names[3]))
        case .csvFiles: return .csvFiles(train: path(DataFiles.csvNames[0]), test: path(DataFiles.csvNames[1]))
        }
    }

    /// The full training and test sets, read from the files of `source` (by default this spec; a shipped copy's
    /// spec on a worker) and named as this spec names them, so a copy loads exactly as the original does.
    public func loadTrainTest(from source: DataSpec? = nil) throws -> (train: Dataset, test: Dataset) {
        let sets = try loadAll(from: source)
        return (sets.train, sets.test)
    }

    /// The full training and test sets as `loadTrainTest` reads them, an image folder's made as `images` says
    /// (through its decoded cache), with the image files left out.
    public func loadAll(from source: DataSpec? = nil, images: ImageFolderOptions = ImageFolderOptions()) throws
        -> TrainTestSets
    {
        let files = try (source ?? self).locate()
        let read: (train: Dataset, test: Dataset, skipped: [BadImageFile])
        switch files.format {
        case .imageFolder:
            let data = try images.load(files.folder ?? description)
            read = (data.train, data.test, data.skipped)
        case .decodedCache:
            let path = files.files[0].url.path
            let data = try DecodedImageCache.read(path, name: name)
            let shape = data.train.imageShape
            if let size = images.size, [size.height, size.width] != Array(shape.prefix(2)) {
                throw ImageFolderError.badCache(
                    file: path,
                    reason: "it holds \(shape[0])×\(shape[1]) images, the run asks for \(size.height)×\(size.width)")
            }
            if let channels = images.channels, channels != shape[2] {
                throw ImageFolderError.badCache(
                    file: path, reason: "it holds \(shape[2])-channel images, the run asks for \(channels)")
            }
            read = (data.train, data.test, data.skipped)
        case .idx, .cifar10, .csv:
            let (train, test) = try files.read()
            read = (train, test, [])
        }
        let (train, test) = (read.train, read.test)
        guard train.imageShape == test.imageShape else {
            throw DataError.shapeMismatch(train: train.imageShape, test: test.imageShape)
        }
        let names = classNames(format: files.format, read: train.classNames, test.classNames)
        return TrainTestSets(
            train: train.renamed("\(name)/train", classNames: names),
            test: test.renamed("\(name)/test", classNames: names), skipped: read.skipped)
    }

    /// Whether this spec names a folder of class folders of images (or a shipped cache of one).
    public var isImageFolder: Bool {
        guard case .folder = self, let format = try? locate().format else { return false }
        return format == .imageFolder || format == .decodedCache
    }

    /// The class names for data read in `format`; `train` and `test` are the names the readers gave.
    private func classNames(format: DataFiles.Format, read train: [String], _ test: [String]) -> [String] {
        switch format {
        case .cifar10, .imageFolder, .decodedCache: return train
        case .csv: return (0..<max(train.count, test.count)).map(String.init)
        case .idx:
            let fashion: Bool
            switch self {
            case .fashionMNIST: fashion = true
            case .folder: fashion = name.lowercased().contains("fashion")
            case .idxFiles, .csvFiles: fashion = false
            }
            return fashion ? Self.fashionMNISTClassNames : (0..<10).map(String.init)
        }
    }

    /// Parses `train=…,test=…`: IDX pairs `IMAGES:LABELS`, or two `.csv` (or `.csv.gz`) files.
    private static func parseFiles(_ spec: String) throws -> DataSpec {
        var parts: [String: String] = [:]
        for item in spec.split(separator: ",") {
            let kv = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard kv.count == 2, ["train", "test"].contains(kv[0]), !kv[1].isEmpty else {
                throw DataError.badSpec(spec: spec, reason: "'\(item)' is not train=… or test=…")
            }
            guard parts[kv[0]] == nil else { throw DataError.badSpec(spec: spec, reason: "'\(kv[0])' is given twice") }
            parts[kv[0]] = kv[1]
        }
        guard let train = parts["train"], let test = parts["test"] else {
            throw DataError.badSpec(spec: spec, reason: "both train=… and test=… are needed")
        }
        let isCSV = { (v: String) in v.lowercased().hasSuffix(".csv") || v.lowercased().hasSuffix(".csv.gz") }
        if isCSV(train) && isCSV(test) { return .csvFiles(train: train, test: test) }
        func pair(_ key: String, _ v: String) throws -> (String, String) {
            let p = v.split(separator: ":", maxSplits: 1).map(String.init)
            guard p.count == 2, !p[0].isEmpty, !p[1].isEmpty else {
                throw DataError.badSpec(
                    spec: spec,
                    reason: "\(key)=\(v) must be IMAGES:LABELS (IDX) or a .csv file, "
                        + "for both train and test")
            }
            return (p[0], p[1])
        }
        let (trainImages, trainLabels) = try pair("train", train)
        let (testImages, testLabels) = try pair("test", test)
        return .idxFiles(
            trainImages: trainImages, trainLabels: trainLabels,
            testImages: testImages, testLabels: testLabels)
    }

    static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}

/// A data set's full training and test sets, and the image files left out of them (`--skip-bad-files`).
public struct TrainTestSets: Sendable {
    /// The full training set (validation is cut from it later).
    public let train: Dataset
    /// The test set.
    public let test: Dataset
    /// Unreadable image files left out, with reasons (empty for other data).
    public let skipped: [BadImageFile]
}
