import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// The files a `DataSpec` names on one machine, in reading order, each with the plain name it ships under:
/// the one place that knows the file names of IDX folders and CIFAR-10 batches.
public struct DataFiles: Sendable, Equatable {
    /// How the files are read.
    public enum Format: String, Sendable, Equatable {
        /// Train images, train labels, test images, test labels (each raw or gzip).
        case idx
        /// Five training batches, then the test batch.
        case cifar10
        /// The training file, then the test file.
        case csv
        /// Class folders of JPEG, PNG or PGM files (`CLASS/*`, or `train/CLASS/*` and `test/CLASS/*`); no
        /// files are listed: the decoded cache built from them is what ships (`ImageFolderOptions`).
        case imageFolder
        /// One decoded-image cache file (`DecodedImageCache.shippedName`): an image folder as shipped.
        case decodedCache
    }

    /// One data file.
    public struct File: Sendable, Equatable {
        /// The plain name it ships under (unique within the data set).
        public let name: String
        /// Where it is on this machine.
        public let url: URL
    }

    /// How the files are read.
    public let format: Format
    /// The files, in the order `format` lists them.
    public let files: [File]
    /// The image folder itself, for `.imageFolder`.
    public var folder: String? = nil

    /// The names IDX files ship under, in reading order (a `.gz` suffix is kept where a folder has it).
    static let idxNames = [
        "train-images-idx3-ubyte", "train-labels-idx1-ubyte",
        "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"
    ]
    /// The names CIFAR-10's binary batches have, in reading order.
    static let cifarNames = (1...5).map { "data_batch_\($0).bin" } + ["test_batch.bin"]
    /// The names explicit CSV files ship under.
    static let csvNames = ["train.csv", "test.csv"]

    /// The files of a data folder: CIFAR-10 batches (in it or in its `cifar-10-batches-bin` subfolder) when
    /// `data_batch_1.bin` is there, the four IDX files (each raw or `.gz`) when the first is there, a shipped
    /// decoded-image cache, or else, when it has visible sub-folders, an image folder.
    static func folder(_ path: String) throws -> DataFiles {
        for cifar in [path, (path as NSString).appendingPathComponent("cifar-10-batches-bin")]
        where FileManager.default.fileExists(atPath: (cifar as NSString).appendingPathComponent(cifarNames[0])) {
            let files = try cifarNames.map { name -> File in
                let file = (cifar as NSString).appendingPathComponent(name)
                guard isRegularFile(file) else { throw DataError.missingFile(folder: cifar, name: name) }
                return File(name: name, url: URL(fileURLWithPath: file))
            }
            return DataFiles(format: .cifar10, files: files)
        }
        let hasIDX = [idxNames[0], idxNames[0] + ".gz"].contains {
            isRegularFile((path as NSString).appendingPathComponent($0))
        }
        let cache = (path as NSString).appendingPathComponent(DecodedImageCache.shippedName)
        if !hasIDX && isRegularFile(cache) {
            let file = File(name: DecodedImageCache.shippedName, url: URL(fileURLWithPath: cache))
            return DataFiles(format: .decodedCache, files: [file])
        }
        if !hasIDX && ImageFolderScan.looksLikeImageFolder(path) {
            return DataFiles(format: .imageFolder, files: [], folder: path)
        }
        let files = try idxNames.map { base -> File in
            for name in [base, base + ".gz"] {
                let file = (path as NSString).appendingPathComponent(name)
                if isRegularFile(file) { return File(name: name, url: URL(fileURLWithPath: file)) }
            }
            throw DataError.missingFile(folder: path, name: base)
        }
        return DataFiles(format: .idx, files: files)
    }

    /// Explicitly named files, shipped under `names`.
    static func explicit(_ format: Format, _ named: Zip2Sequence<[String], [String]>) throws -> DataFiles {
        let files = try named.map { name, path -> File in
            guard isRegularFile(path) else { throw DataError.notRegularFile(file: path) }
            return File(name: name, url: URL(fileURLWithPath: path))
        }
        return DataFiles(format: format, files: files)
    }

    /// Reads the training and test sets. Names and class names are the readers' own; `DataSpec` renames them.
    func read() throws -> (train: Dataset, test: Dataset) {
        let paths = files.map(\.url.path)
        switch format {
        case .idx:
            let names = (0..<10).map(String.init)
            return (
                try IDXReader.read(images: paths[0], labels: paths[1], name: "train", classNames: names),
                try IDXReader.read(images: paths[2], labels: paths[3], name: "test", classNames: names)
            )
        case .cifar10:
            return (try CIFAR10Reader.read(paths: Array(paths.prefix(5))), try CIFAR10Reader.read(paths: [paths[5]]))
        case .csv:
            return (try CSVReader.read(path: paths[0]), try CSVReader.read(path: paths[1]))
        case .imageFolder, .decodedCache:
            preconditionFailure("image data is read by DataSpec.loadAll, with its options")
        }
    }

    /// Whether `path` is a regular file, following symbolic links.
    static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }
}
