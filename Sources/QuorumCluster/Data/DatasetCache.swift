import Crypto
import Foundation
#if canImport(Glibc)
    import Glibc
#endif
import QuorumData

/// A worker's folder of shipped data sets: `ROOT/datasets/LABEL-HASH16/` holds one data set's files and its
/// `SHA256SUMS`, written last, so a folder with that file is complete.
public struct DatasetCache: Sendable {
    /// The cache root (`~/.cache/quorum` by default).
    public let root: URL

    /// A cache under `root`.
    public init(root: URL) { self.root = root }

    /// `$XDG_CACHE_HOME/quorum`, or `~/.cache/quorum`.
    public static var defaultRoot: URL {
        if let xdg = ProcessInfo.processInfo.environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") {
            return URL(fileURLWithPath: xdg).appendingPathComponent("quorum")
        }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/quorum")
    }

    /// The folder a data set with this manifest lives in. Its name keeps the data set's own folder name
    /// first, since the readers pick class names by it (a folder named `fashion…` gets Fashion-MNIST's).
    public func folder(for manifest: DataManifestHeader) -> URL {
        root.appendingPathComponent("datasets").appendingPathComponent(
            "\(Self.label(manifest.dataset))-\(manifest.sha256.prefix(16))")
    }

    /// The folder's name part taken from a data set spec: its last path component, in safe characters.
    static func label(_ spec: String) -> String {
        let last = URL(fileURLWithPath: spec).lastPathComponent
        let safe = String(
            last.unicodeScalars.map {
                CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0) ? Character($0) : "_"
            })
        let trimmed = safe.trimmingCharacters(in: CharacterSet(charactersIn: "."))
        return trimmed.isEmpty ? "data" : String(trimmed.prefix(64))
    }

    /// The complete, verified cached copy of `manifest`'s data set, if there is one. A copy that fails the
    /// check is removed, so it is downloaded again.
    public func verifiedFolder(for manifest: DataManifestHeader) -> URL? {
        let folder = folder(for: manifest)
        let sumsURL = folder.appendingPathComponent("SHA256SUMS")
        guard let sums = try? String(contentsOf: sumsURL, encoding: .utf8) else { return nil }
        let expected = DatasetBundle.sums(manifest.files)
        let ok =
            sums == expected
            && manifest.files.allSatisfy { f in
                (try? DatasetBundle.hashFile(folder.appendingPathComponent(f.name))).map { $0 == (f.bytes, f.sha256) }
                    ?? false
            }
        if !ok { try? FileManager.default.removeItem(at: folder) }
        return ok ? folder : nil
    }

    /// A fresh, empty folder to download `manifest`'s data set into, beside its final place. Its name ends
    /// in this process's id, so that `removeStalePartials` can tell a crashed download from a running one.
    public func partialFolder(for manifest: DataManifestHeader) throws -> URL {
        let final = folder(for: manifest)
        let partial = final.deletingLastPathComponent().appendingPathComponent(
            "\(Self.partialPrefix)\(final.lastPathComponent)-\(getpid())")
        do {
            try? FileManager.default.removeItem(at: partial)
            try FileManager.default.createDirectory(at: partial, withIntermediateDirectories: true)
        } catch {
            throw DataShippingError.io(path: partial.path, reason: "cannot create the download folder: \(error)")
        }
        return partial
    }

    /// Checks every downloaded file against the manifest, writes `SHA256SUMS` and moves the folder into place.
    public func commit(_ partial: URL, manifest: DataManifestHeader) throws -> URL {
        for f in manifest.files {
            let (bytes, hash) = try DatasetBundle.hashFile(partial.appendingPathComponent(f.name))
            guard bytes == f.bytes, hash == f.sha256 else {
                try? FileManager.default.removeItem(at: partial)
                throw DataShippingError.fileMismatch(
                    dataset: manifest.dataset, file: f.name, expected: f.sha256, found: hash)
            }
        }
        let final = folder(for: manifest)
        do {
            try Data(DatasetBundle.sums(manifest.files).utf8).write(to: partial.appendingPathComponent("SHA256SUMS"))
            // Another worker on this machine may have finished the same data set first: theirs is as good.
            if FileManager.default.fileExists(atPath: final.appendingPathComponent("SHA256SUMS").path) {
                try? FileManager.default.removeItem(at: partial)
                return final
            }
            try? FileManager.default.removeItem(at: final)
            try FileManager.default.moveItem(at: partial, to: final)
        } catch {
            throw DataShippingError.io(
                path: final.path, reason: "cannot move the downloaded data set into place: \(error)")
        }
        return final
    }
}

extension DatasetCache {
    /// What the names of download folders start with.
    static let partialPrefix = ".partial-"

    /// Removes the download folders of processes that no longer run (a worker killed mid-download), and
    /// any of this process's own, left by an earlier process with the same id. Returns how many it removed.
    @discardableResult
    public func removeStalePartials() -> Int {
        let base = root.appendingPathComponent("datasets")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: base.path)) ?? []
        var removed = 0
        for name in names where name.hasPrefix(Self.partialPrefix) {
            let pid = name.split(separator: "-").last.flatMap { Int32($0) }
            if let pid, pid != getpid(), kill(pid, 0) == 0 || errno == EPERM { continue }  // still running
            if (try? FileManager.default.removeItem(at: base.appendingPathComponent(name))) != nil { removed += 1 }
        }
        return removed
    }

    /// Free bytes on the file system that holds the cache (nil when it cannot be told).
    public func availableBytes() -> Int? {
        try? FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        var info = statvfs()
        guard statvfs(root.path, &info) == 0 else { return nil }
        let (bytes, overflow) = Int(info.f_bavail).multipliedReportingOverflow(by: Int(info.f_frsize))
        return overflow ? Int.max : bytes
    }

    /// The complete data sets in the cache as name → hash, for READY (read from the folders' `SHA256SUMS`,
    /// not re-hashed: READY is informative; a job's data is checked against the coordinator's manifest).
    public func heldDatasets() -> [String: String] {
        let base = root.appendingPathComponent("datasets")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: base.path)) ?? []
        var held: [String: String] = [:]
        for name in names.sorted() where !name.hasPrefix(".") && held.count < 1024 {
            guard
                let sums = try? Data(contentsOf: base.appendingPathComponent(name).appendingPathComponent("SHA256SUMS"))
            else { continue }
            held[name] = SHA256.hex(sums)
        }
        return held
    }
}
