import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#endif
import QuorumData

/// A data set as files on disk with their hashes: what the coordinator ships and what a worker compares
/// against what it already holds.
///
/// The data set's hash is the SHA-256 of its `SHA256SUMS` text, one `HASH  NAME` line per file sorted by
/// name (the format `sha256sum` writes), so an operator can check a cached copy with `sha256sum -c`.
///
/// Explicit file lists ship too: `train=IMAGES:LABELS,test=IMAGES:LABELS` as the four names of an IDX
/// folder, `train=A.csv,test=B.csv` as `train.csv` and `test.csv`; `localSpec` turns a downloaded copy back
/// into the same kind of spec, so it loads exactly as the original does.
public struct DatasetBundle: Sendable, Equatable {
    /// The data set, as configurations name it (`fashion-mnist`, a folder, or explicit files).
    public let name: String
    /// The folder the file names are relative to (for explicit files: the first file's folder).
    public let folder: URL
    /// The files, sorted by name.
    public let files: [DataFileEntry]
    /// SHA-256 of `sums`.
    public let sha256: String
    /// Where each file is read from, by name.
    let sources: [String: URL]

    /// The bundle for `spec`: `fashion-mnist`, a folder of IDX files (raw or `.gz`) or CIFAR-10 batches, or
    /// explicit `train=…,test=…` files.
    public static func resolve(_ spec: String) throws -> DatasetBundle {
        let located = try locate(spec)
        let files = try located.map { name, url -> DataFileEntry in
            let (bytes, hash) = try hashFile(url)
            return DataFileEntry(name: name, bytes: bytes, sha256: hash)
        }
        let folder = located.first.map { $0.url.deletingLastPathComponent() } ?? URL(fileURLWithPath: "/")
        return DatasetBundle(name: spec, folder: folder, files: files,
                             sources: Dictionary(located.map { ($0.name, $0.url) }, uniquingKeysWith: { a, _ in a }))
    }

    /// Whether the files `spec` names are on this machine (nothing is read or hashed).
    public static func isPresent(_ spec: String) -> Bool { (try? locate(spec)) != nil }

    /// Throws, saying what is missing, unless every file `spec` names is a regular file on this machine:
    /// a spec from a peer must not make this machine read a device or a pipe (`/dev/zero` never ends).
    public static func checkPresent(_ spec: String) throws { _ = try locate(spec) }

    /// A bundle from already hashed files in `folder`.
    public init(name: String, folder: URL, files: [DataFileEntry]) {
        self.init(name: name, folder: folder, files: files,
                  sources: Dictionary(files.map { ($0.name, folder.appendingPathComponent($0.name)) },
                                      uniquingKeysWith: { a, _ in a }))
    }

    private init(name: String, folder: URL, files: [DataFileEntry], sources: [String: URL]) {
        self.name = name
        self.folder = folder
        self.files = files.sorted { $0.name < $1.name }
        self.sources = sources
        sha256 = SHA256.hex(Array(Self.sums(self.files).utf8))
    }

    /// The spec that loads a downloaded copy of data set `spec` from `folder`: the folder itself, or for
    /// explicit files the same kind of `train=…,test=…` list over the downloaded files.
    public static func localSpec(for spec: String, in folder: URL) -> String {
        guard let explicit = try? ExplicitFiles(spec) else { return folder.path }
        let path = { (name: String) in folder.appendingPathComponent(name).path }
        if explicit.isCSV { return "train=\(path("train.csv")),test=\(path("test.csv"))" }
        return "train=\(path(idxBases[0])):\(path(idxBases[1])),test=\(path(idxBases[2])):\(path(idxBases[3]))"
    }

    /// The `SHA256SUMS` text of `files`.
    public static func sums(_ files: [DataFileEntry]) -> String {
        files.sorted { $0.name < $1.name }.map { "\($0.sha256)  \($0.name)\n" }.joined()
    }

    /// The manifest announcing this bundle with chunks of `chunkBytes`.
    public func manifest(chunkBytes: Int) -> DataManifestHeader {
        DataManifestHeader(dataset: name, sha256: sha256, chunkBytes: chunkBytes, files: files)
    }

    /// Chunk `index` of `file` (chunks of `chunkBytes`), read from disk.
    public func chunk(file: String, index: Int, chunkBytes: Int) throws -> Data {
        guard let entry = files.first(where: { $0.name == file }) else {
            throw DataShippingError.refused(dataset: name, reason: "it has no file \(file)")
        }
        let offset = index * chunkBytes
        guard index >= 0, offset < entry.bytes else {
            throw DataShippingError.refused(dataset: name, reason: "\(file) has no chunk \(index)")
        }
        let url = sources[file] ?? folder.appendingPathComponent(file)
        do {
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            try handle.seek(toOffset: UInt64(offset))
            return try handle.read(upToCount: min(chunkBytes, entry.bytes - offset)) ?? Data()
        } catch {
            throw DataShippingError.io(path: url.path, reason: "cannot read chunk \(index): \(error)")
        }
    }

    /// The byte count and SHA-256 of a file, read in 4 MiB pieces.
    public static func hashFile(_ url: URL) throws -> (bytes: Int, sha256: String) {
        do {
            let handle = try FileHandle(forReadingFrom: url)
            defer { try? handle.close() }
            var hasher = SHA256()
            var total = 0
            while let piece = try handle.read(upToCount: 4 << 20), !piece.isEmpty {
                piece.withUnsafeBytes { hasher.update($0) }
                total += piece.count
            }
            return (total, hasher.hexDigest())
        } catch {
            throw DataShippingError.io(path: url.path, reason: "cannot read: \(error)")
        }
    }

    private static let idxBases = ["train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                                   "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]
    private static let cifarNames = (1...5).map { "data_batch_\($0).bin" } + ["test_batch.bin"]

    /// The data files `DataSource.load` would read for `spec`, each with the plain name it ships under.
    private static func locate(_ spec: String) throws -> [(name: String, url: URL)] {
        let trimmed = spec.trimmingCharacters(in: .whitespaces)
        if trimmed.contains("=") { return try locateExplicit(spec) }
        let path = trimmed == "fashion-mnist" ? DataSource.fashionMNISTFolder : trimmed
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DataShippingError.notShippable(dataset: spec, reason: "\(path) is not a folder on this machine")
        }
        let root = URL(fileURLWithPath: path)
        for folder in [root, root.appendingPathComponent("cifar-10-batches-bin")]
        where cifarNames.allSatisfy({ isRegularFile(folder.appendingPathComponent($0).path) }) {
            return cifarNames.map { ($0, folder.appendingPathComponent($0)) }
        }
        return try idxBases.map { base in
            let present = { (name: String) in isRegularFile(root.appendingPathComponent(name).path) }
            guard let name = [base, base + ".gz"].first(where: present) else {
                throw DataShippingError.notShippable(dataset: spec,
                                                     reason: "\(path) holds neither \(base)[.gz] nor CIFAR-10 batches")
            }
            return (name, root.appendingPathComponent(name))
        }
    }

    /// Whether `path` is a regular file, following symbolic links.
    private static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// The files of a `train=…,test=…` spec under the names of an IDX folder, or `train.csv` and `test.csv`.
    private static func locateExplicit(_ spec: String) throws -> [(name: String, url: URL)] {
        let explicit: ExplicitFiles
        do { explicit = try ExplicitFiles(spec) } catch {
            throw DataShippingError.notShippable(dataset: spec, reason: "\(error)")
        }
        let names = explicit.isCSV ? ["train.csv", "test.csv"] : idxBases
        let located = zip(names, explicit.paths).map { ($0, URL(fileURLWithPath: $1)) }
        for (_, url) in located where !isRegularFile(url.path) {
            throw DataShippingError.notShippable(dataset: spec,
                                                 reason: "\(url.path) is not a regular file on this machine")
        }
        return located
    }
}

/// The files of an explicit `train=IMAGES:LABELS,test=IMAGES:LABELS` or `train=A.csv,test=B.csv` spec, read
/// by the rules `DataSource` loads them with.
struct ExplicitFiles {
    /// Train images, train labels, test images, test labels; or the train and test CSV files.
    var paths: [String]
    /// Whether the files are CSV.
    var isCSV: Bool

    init(_ spec: String) throws {
        var parts: [String: String] = [:]
        for item in spec.split(separator: ",") {
            let kv = item.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard kv.count == 2, ["train", "test"].contains(kv[0]), !kv[1].isEmpty, parts[kv[0]] == nil else {
                throw DataSpecProblem("'\(item)' is not one train=… or test=…")
            }
            parts[kv[0]] = kv[1]
        }
        guard let train = parts["train"], let test = parts["test"] else {
            throw DataSpecProblem("both train=… and test=… are needed")
        }
        let csv = { (v: String) in v.lowercased().hasSuffix(".csv") || v.lowercased().hasSuffix(".csv.gz") }
        if csv(train) && csv(test) {
            paths = [train, test]
            isCSV = true
            return
        }
        paths = try [train, test].flatMap { value -> [String] in
            let pair = value.split(separator: ":", maxSplits: 1).map(String.init)
            guard pair.count == 2, !pair[0].isEmpty, !pair[1].isEmpty else {
                throw DataSpecProblem("\(value) must be IMAGES:LABELS (IDX) or a .csv file, for both train and test")
            }
            return pair
        }
        isCSV = false
    }

    /// Why a spec is not an explicit file list.
    struct DataSpecProblem: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }
}
