import Foundation

/// A data set as files on disk with their hashes: what the coordinator ships and what a worker compares
/// against what it already holds.
///
/// The data set's hash is the SHA-256 of its `SHA256SUMS` text, one `HASH  NAME` line per file sorted by
/// name (the format `sha256sum` writes), so an operator can check a cached copy with `sha256sum -c`.
public struct DatasetBundle: Sendable, Equatable {
    /// The data set, as configurations name it (`fashion-mnist` or a folder).
    public let name: String
    /// The folder the file names are relative to.
    public let folder: URL
    /// The files, sorted by name.
    public let files: [DataFileEntry]
    /// SHA-256 of `sums`.
    public let sha256: String

    /// The bundle for `spec`: `fashion-mnist`, or a folder of IDX files (raw or `.gz`) or CIFAR-10 batches.
    public static func resolve(_ spec: String) throws -> DatasetBundle {
        let (folder, names) = try locate(spec)
        let files = try names.sorted().map { name -> DataFileEntry in
            let url = folder.appendingPathComponent(name)
            let (bytes, hash) = try hashFile(url)
            return DataFileEntry(name: name, bytes: bytes, sha256: hash)
        }
        return DatasetBundle(name: spec, folder: folder, files: files)
    }

    /// A bundle from already hashed files.
    public init(name: String, folder: URL, files: [DataFileEntry]) {
        self.name = name
        self.folder = folder
        self.files = files.sorted { $0.name < $1.name }
        sha256 = SHA256.hex(Array(Self.sums(self.files).utf8))
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
        let url = folder.appendingPathComponent(file)
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

    /// The folder and the data files `DataSource.load` would read for `spec`.
    private static func locate(_ spec: String) throws -> (URL, [String]) {
        let trimmed = spec.trimmingCharacters(in: .whitespaces)
        let path = trimmed == "fashion-mnist" ? DataSource.fashionMNISTFolder : trimmed
        if trimmed.contains("=") {
            throw DataShippingError.notShippable(dataset: spec, reason: "explicit train=…,test=… files are not shipped; put them in one folder")
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DataShippingError.notShippable(dataset: spec, reason: "\(path) is not a folder on this machine")
        }
        let folder = URL(fileURLWithPath: path)
        let exists = { (name: String) in FileManager.default.fileExists(atPath: folder.appendingPathComponent(name).path) }
        for prefix in ["", "cifar-10-batches-bin/"] where cifarNames.allSatisfy({ exists(prefix + $0) }) {
            return (folder, cifarNames.map { prefix + $0 })
        }
        var names: [String] = []
        for base in idxBases {
            guard let name = [base, base + ".gz"].first(where: exists) else {
                throw DataShippingError.notShippable(dataset: spec, reason: "\(path) holds neither \(base)[.gz] nor CIFAR-10 batches")
            }
            names.append(name)
        }
        return (folder, names)
    }
}
