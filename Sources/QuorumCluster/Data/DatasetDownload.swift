import Crypto
import Foundation
import QuorumData

/// One data set transfer on the worker's network thread: which chunks to ask for next (a few at a time,
/// so neither side buffers the whole data set), where each arriving chunk goes, and which to ask again
/// because its bytes failed their SHA-256 check or never came.
///
/// Memory stays bounded whatever the manifest announces: chunks are counted off a cursor, not listed, and
/// only chunks in flight or asked again are remembered.
final class DatasetDownload {
    private struct ChunkID: Hashable { var file: Int; var chunk: Int }
    /// How often a chunk was asked for again, and why.
    private struct Retries { var damaged = 0; var unanswered = 0 }

    /// The manifest being fetched.
    let manifest: DataManifestHeader
    /// The folder the files are written into.
    let folder: URL
    /// Bytes received and accepted so far.
    private(set) var bytesReceived = 0
    /// Chunks that arrived damaged and were asked for again.
    private(set) var corruptChunks = 0

    private let window: Int
    private let chunkTimeout: Double
    private let maxAttempts: Int
    /// The next chunk never asked for yet (file, chunk); file == files.count when all were asked for.
    private var cursor = ChunkID(file: 0, chunk: 0)
    /// Chunks to ask for again, before any new one.
    private var retry: [ChunkID] = []
    private var outstanding: [ChunkID: Double] = [:]
    private var retries: [ChunkID: Retries] = [:]
    private var handles: [Int: FileHandle] = [:]
    private let fileIndex: [String: Int]

    /// A transfer of `manifest` into `folder` (created, empty), with `window` chunks in flight.
    init(manifest: DataManifestHeader, folder: URL, window: Int = 8, chunkTimeout: Double = 10, maxAttempts: Int = 5)
        throws
    {
        self.manifest = manifest
        self.folder = folder
        self.window = max(1, window)
        self.chunkTimeout = chunkTimeout
        self.maxAttempts = maxAttempts
        var index: [String: Int] = [:]
        for (i, f) in manifest.files.enumerated() {
            index[f.name] = i
            let url = folder.appendingPathComponent(f.name)
            do {
                try FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
                    throw DataShippingError.io(path: url.path, reason: "cannot create the file")
                }
                handles[i] = try FileHandle(forWritingTo: url)
            } catch let error as DataShippingError { throw error } catch {
                throw DataShippingError.io(path: url.path, reason: "cannot open for writing: \(error)")
            }
        }
        fileIndex = index
        skipEmptyFiles()
    }

    deinit { closeFiles() }

    /// Whether every chunk arrived intact.
    var isComplete: Bool { cursor.file == manifest.files.count && retry.isEmpty && outstanding.isEmpty }

    /// Total bytes of the data set.
    var totalBytes: Int { manifest.files.reduce(0) { $0 + $1.bytes } }

    /// The requests to send now: chunks asked for long ago without an answer again, then new ones up to the window.
    func requests(at now: Double) throws -> [DataRequestHeader] {
        var out: [DataRequestHeader] = []
        for (id, sent) in outstanding where now - sent >= chunkTimeout {
            try countRetry(id) { $0.unanswered += 1 }
            outstanding[id] = now
            out.append(request(id))
        }
        while outstanding.count < window, let id = nextChunk() {
            outstanding[id] = now
            out.append(request(id))
        }
        return out
    }

    /// The chunk to ask for next: one to ask again, else the cursor's (which then moves on).
    private func nextChunk() -> ChunkID? {
        if !retry.isEmpty { return retry.removeFirst() }
        guard cursor.file < manifest.files.count else { return nil }
        let id = cursor
        let chunks = (manifest.files[cursor.file].bytes + manifest.chunkBytes - 1) / manifest.chunkBytes
        cursor.chunk += 1
        if cursor.chunk >= chunks {
            cursor = ChunkID(file: cursor.file + 1, chunk: 0)
            skipEmptyFiles()
        }
        return id
    }

    /// Moves the cursor past empty files, which have no chunk to ask for.
    private func skipEmptyFiles() {
        while cursor.file < manifest.files.count && manifest.files[cursor.file].bytes == 0 { cursor.file += 1 }
    }

    /// Takes one arriving chunk: writes it when its hash matches, else puts it back in the queue.
    /// Chunks nobody asked for (late duplicates) are ignored.
    func accept(_ message: DataChunkMessage) throws {
        let h = message.header
        guard h.dataset == manifest.dataset, let file = fileIndex[h.file] else { return }
        let id = ChunkID(file: file, chunk: h.chunk)
        guard outstanding.removeValue(forKey: id) != nil else { return }
        let entry = manifest.files[file]
        let offset = h.chunk * manifest.chunkBytes
        let expected = min(manifest.chunkBytes, entry.bytes - offset)
        guard message.bytes.count == expected, SHA256.hex(message.bytes) == h.sha256 else {
            corruptChunks += 1
            try countRetry(id) { $0.damaged += 1 }
            retry.insert(id, at: 0)
            return
        }
        do {
            try handles[file]?.seek(toOffset: UInt64(offset))
            try handles[file]?.write(contentsOf: message.bytes)
        } catch {
            throw DataShippingError.io(
                path: folder.appendingPathComponent(entry.name).path, reason: "cannot write chunk \(h.chunk): \(error)")
        }
        bytesReceived += message.bytes.count
        retries[id] = nil
        if isComplete { closeFiles() }
    }

    /// Counts one more request of `id`, failing once it has been asked for `maxAttempts` times: as missing
    /// when it never arrived, as corrupt when it only ever arrived damaged, and naming both otherwise.
    private func countRetry(_ id: ChunkID, _ update: (inout Retries) -> Void) throws {
        var r = retries[id] ?? Retries()
        update(&r)
        retries[id] = r
        guard 1 + r.damaged + r.unanswered > maxAttempts else { return }
        let file = manifest.files[id.file].name
        if r.damaged == 0 {
            throw DataShippingError.missingChunk(
                dataset: manifest.dataset, file: file, chunk: id.chunk,
                requests: maxAttempts, seconds: chunkTimeout)
        }
        throw DataShippingError.corruptChunk(
            dataset: manifest.dataset, file: file, chunk: id.chunk,
            damaged: r.damaged, unanswered: r.unanswered)
    }

    private func request(_ id: ChunkID) -> DataRequestHeader {
        DataRequestHeader(dataset: manifest.dataset, file: manifest.files[id.file].name, chunk: id.chunk)
    }

    private func closeFiles() {
        for h in handles.values { try? h.close() }
        handles.removeAll()
    }
}
