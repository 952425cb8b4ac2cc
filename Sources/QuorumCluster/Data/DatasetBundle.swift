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
/// Which files a spec names, and the plain names they ship under, is `DataSpec`'s knowledge (`DataFiles`):
/// explicit IDX lists ship as the four names of an IDX folder, CSV lists as `train.csv` and `test.csv`, and
/// `localSpec` turns a downloaded copy back into the same kind of spec.
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
    /// explicit `train=…,test=…` files. An image folder ships as one file, its decoded cache made as `images`
    /// says (built here first when missing), never as its thousands of small files.
    public static func resolve(_ spec: String, images: ImageFolderOptions? = nil) throws -> DatasetBundle {
        let located = try locate(spec, images: images)
        let files = try located.map { name, url -> DataFileEntry in
            let (bytes, hash) = try hashFile(url)
            return DataFileEntry(name: name, bytes: bytes, sha256: hash)
        }
        let folder = located.first.map { $0.url.deletingLastPathComponent() } ?? URL(fileURLWithPath: "/")
        return DatasetBundle(
            name: spec, folder: folder, files: files,
            sources: Dictionary(located.map { ($0.name, $0.url) }, uniquingKeysWith: { a, _ in a }))
    }

    /// Whether the files `spec` names are on this machine (nothing is read or hashed).
    public static func isPresent(_ spec: String) -> Bool { (try? locate(spec)) != nil }

    /// Throws, saying what is missing, unless every file `spec` names is a regular file on this machine:
    /// a spec from a peer must not make this machine read a device or a pipe (`/dev/zero` never ends).
    public static func checkPresent(_ spec: String) throws { _ = try locate(spec) }

    /// A bundle from already hashed files in `folder`.
    public init(name: String, folder: URL, files: [DataFileEntry]) {
        self.init(
            name: name, folder: folder, files: files,
            sources: Dictionary(
                files.map { ($0.name, folder.appendingPathComponent($0.name)) },
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
        ((try? DataSpec(parsing: spec))?.copy(in: folder) ?? .folder(path: folder.path)).description
    }

    /// The `SHA256SUMS` text of `files`.
    public static func sums(_ files: [DataFileEntry]) -> String {
        files.sorted { $0.name < $1.name }.map { "\($0.sha256)  \($0.name)\n" }.joined()
    }

    /// The manifest announcing this bundle with chunks of `chunkBytes`.
    /// With `url`, workers may fetch the files from there (`url/NAME`) instead of asking for chunks.
    public func manifest(chunkBytes: Int, url: String? = nil) -> DataManifestHeader {
        DataManifestHeader(dataset: name, sha256: sha256, chunkBytes: chunkBytes, files: files, url: url)
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

    /// The data files `spec` names on this machine, each with the plain name it ships under; for an image
    /// folder with `images`, its decoded cache (without: nothing, as nothing is shipped from it).
    private static func locate(
        _ spec: String, images: ImageFolderOptions? = nil
    ) throws -> [(name: String, url: URL)] {
        do {
            let files = try DataSpec(parsing: spec).locate()
            if files.format == .imageFolder, let images, let folder = files.folder {
                let cache = try images.loadCached(folder).file
                // The real path: chunks are read later, whatever happens to a link on the way meanwhile.
                return [(DecodedImageCache.shippedName, URL(fileURLWithPath: cache).resolvingSymlinksInPath())]
            }
            return files.files.map { ($0.name, $0.url) }
        } catch let error as DataError {
            throw DataShippingError.notShippable(dataset: spec, reason: "\(error)")
        } catch let error as ImageFolderError {
            throw DataShippingError.notShippable(dataset: spec, reason: "\(error)")
        }
    }
}
