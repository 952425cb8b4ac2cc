import Foundation
import Logging

/// Gets a worker the data set a job names: the local copy when its hash matches the coordinator's, else a
/// verified copy in the cache, else a download from the coordinator into the cache.
///
/// The training thread asks (`localSpec`); the worker's network thread, which owns the socket, does the
/// talking (`outgoing`, `received`). Hashing and the final check run on the training thread, so heartbeats
/// keep flowing while large files are read.
public final class DatasetFetcher: @unchecked Sendable {
    /// What the training thread waits for.
    private enum Want {
        case manifest(String)
        case download(DataManifestHeader, URL)
    }

    /// Where shipped data sets are kept.
    public let cache: DatasetCache
    /// Seconds without any answer from the coordinator after which a request fails.
    public let timeout: Double
    /// Where transfer news goes (written on the network thread).
    var logger: Logger

    private let condition = NSCondition()
    private var want: Want?
    private var started = false
    private var answer: Result<DataManifestHeader?, Error>?
    private var lastActivity = 0.0
    /// The network thread's transfer; only that thread touches it.
    private var download: DatasetDownload?
    private var downloadStart = 0.0
    /// Local spec per (data set, hash) already settled, so later jobs neither ask nor hash again.
    private var settled: [String: String] = [:]

    /// A fetcher keeping data sets in `cache`, logging transfers to `logger`.
    public init(cache: DatasetCache, timeout: Double = 60, logger: Logger = .silent("quorum.worker")) {
        self.cache = cache
        self.timeout = timeout
        self.logger = logger
    }

    // MARK: training thread

    /// The data spec to load for `spec` on this machine: `spec` itself when the local data has the
    /// coordinator's hash (or the coordinator ships no data), otherwise a cached folder, downloaded first
    /// when needed. Throws when cancelled, on a timeout, or when the data cannot be had.
    public func localSpec(for spec: String, cancel: CancellationFlag) throws -> String {
        guard let manifest = try ask(.manifest(spec), cancel: cancel) else { return spec }
        if let error = manifest.error {
            // The coordinator cannot ship it: the worker's own copy is all there is.
            if DatasetBundle.isPresent(spec) { return spec }
            throw DataShippingError.refused(dataset: spec, reason: error)
        }
        let key = spec + "\u{0}" + manifest.sha256
        condition.lock(); let known = settled[key]; condition.unlock()
        if let known { return known }
        let local: String
        if let own = try? DatasetBundle.resolve(spec), own.sha256 == manifest.sha256 {
            local = spec
        } else if let cached = cache.verifiedFolder(for: manifest) {
            local = DatasetBundle.localSpec(for: spec, in: cached)
        } else if manifest.url != nil, let fetched = fromURL(manifest, spec: spec, cancel: cancel) {
            local = fetched
        } else {
            let needed = manifest.files.reduce(0) { $0 + $1.bytes }  // bounded by the manifest limits
            if let free = cache.availableBytes(), needed > free {
                throw DataShippingError.io(
                    path: cache.root.path,
                    reason: "data set needs \(needed) bytes; only \(free) are free")
            }
            let partial = try cache.partialFolder(for: manifest)
            do {
                _ = try ask(.download(manifest, partial), cancel: cancel)
                local = DatasetBundle.localSpec(for: spec, in: try cache.commit(partial, manifest: manifest))
            } catch {
                try? FileManager.default.removeItem(at: partial)
                throw error
            }
        }
        condition.lock(); settled[key] = local; condition.unlock()
        return local
    }

    /// The data set fetched from the manifest's `url` into the cache, or nil (logged) when that failed: the
    /// worker then asks the coordinator for chunks, as it would without a URL.
    private func fromURL(_ manifest: DataManifestHeader, spec: String, cancel: CancellationFlag) -> String? {
        if let free = cache.availableBytes(), manifest.files.reduce(0, { $0 + $1.bytes }) > free { return nil }
        guard let partial = try? cache.partialFolder(for: manifest) else { return nil }
        let started = MonotonicClock.now()
        do {
            try DatasetURLFetch.fetch(manifest, into: partial, cancel: cancel)
            let folder = try cache.commit(partial, manifest: manifest)
            let bytes = manifest.files.reduce(0) { $0 + $1.bytes }
            let text =
                "data set \(PeerText.escaped(manifest.dataset, limit: 120)) fetched from its URL: "
                + "\(String(format: "%.1f", Double(bytes) / 1e6)) MB in "
                + "\(String(format: "%.1f", MonotonicClock.now() - started)) s"
            logger.info("\(text)")
            return DatasetBundle.localSpec(for: spec, in: folder)
        } catch {
            try? FileManager.default.removeItem(at: partial)
            let text =
                "data set \(PeerText.escaped(manifest.dataset, limit: 120)) not fetched from "
                + "\(PeerText.escaped(manifest.url ?? "", limit: 200)): \(error); asking the coordinator"
            logger.warning("\(text)")
            return nil
        }
    }

    private func ask(_ request: Want, cancel: CancellationFlag) throws -> DataManifestHeader? {
        condition.lock()
        defer { want = nil; answer = nil; condition.unlock() }
        want = request
        started = false
        answer = nil
        lastActivity = MonotonicClock.now()
        let name: String
        switch request {
        case .manifest(let s): name = s;
        case .download(let m, _): name = m.dataset
        }
        while answer == nil {
            if cancel.isCancelled {
                throw DataShippingError.interrupted(dataset: name, reason: cancel.reason ?? "job cancelled")
            }
            if MonotonicClock.now() - lastActivity > timeout {
                throw DataShippingError.timeout(dataset: name, seconds: timeout)
            }
            _ = condition.wait(until: Date().addingTimeInterval(0.05))
        }
        return try answer!.get()
    }

    // MARK: network thread

    /// Requests to send now (starting a new ask, or the next chunks of a transfer).
    func outgoing() -> [DataRequestHeader] {
        condition.lock()
        defer { condition.unlock() }
        guard let want, answer == nil else { return [] }
        let now = MonotonicClock.now()
        if !started {
            started = true
            switch want {
            case .manifest(let spec):
                return [DataRequestHeader(dataset: spec)]
            case .download(let manifest, let folder):
                do {
                    download = try DatasetDownload(manifest: manifest, folder: folder)
                    downloadStart = now
                    let size = "\(Self.megabytes(download!.totalBytes)) MB in \(manifest.files.count) file(s)"
                    logger.info("downloading data set \(PeerText.escaped(manifest.dataset)) (\(size))")
                } catch {
                    answer = .failure(error)
                    condition.broadcast()
                    return []
                }
            }
        }
        guard let download else { return [] }
        do {
            let requests = try download.requests(at: now)
            if download.isComplete { finishDownload(now) }
            return requests
        } catch {
            fail(error)
            return []
        }
    }

    /// Takes a DATA_MANIFEST or DATA_CHUNK from the coordinator.
    func received(_ message: ProtocolMessage) {
        condition.lock()
        defer { condition.unlock() }
        switch (message, want) {
        case (.dataManifest(let manifest), .manifest(let spec)?) where manifest.dataset == spec && answer == nil:
            answer = .success(manifest)
            condition.broadcast()
        case (.dataChunk(let chunk), .download?):
            guard let download, answer == nil else { return }
            lastActivity = MonotonicClock.now()
            do {
                let before = download.corruptChunks
                try download.accept(chunk)
                if download.corruptChunks > before {
                    let file = PeerText.escaped(chunk.header.file)
                    logger.warning("chunk \(chunk.header.chunk) of \(file) failed its SHA-256 check; asking again")
                }
                if download.isComplete { finishDownload(MonotonicClock.now()) }
            } catch { fail(error) }
        default:
            logger.debug("\(message.command.rawValue) from the coordinator ignored: no such request is open")
        }
    }

    /// Fails the open manifest request, if any, because the coordinator's DATA_MANIFEST broke the protocol
    /// or this worker's limits (`reason` says how): waiting for a better one would only time out.
    func rejectManifest(_ reason: String) {
        condition.lock()
        defer { condition.unlock() }
        guard case .manifest(let spec)? = want, answer == nil else { return }
        answer = .failure(DataShippingError.badManifest(dataset: spec, reason: reason))
        condition.broadcast()
    }

    /// Ends any transfer in progress, e.g. when the coordinator went silent (the job is abandoned too).
    func interrupt(_ reason: String) {
        condition.lock()
        defer { condition.unlock() }
        if want != nil && answer == nil {
            let name: String
            switch want! {
            case .manifest(let s): name = s;
            case .download(let m, _): name = m.dataset
            }
            fail(DataShippingError.interrupted(dataset: name, reason: reason))
        }
    }

    /// Called with the lock held.
    private func finishDownload(_ now: Double) {
        guard let download else { return }
        let seconds = max(now - downloadStart, 1e-6)
        let rate = Self.megabytes(Int(Double(download.bytesReceived) / seconds))
        let size = "\(Self.megabytes(download.bytesReceived)) MB in \(String(format: "%.2f", seconds)) s (\(rate) MB/s)"
        logger.info("data set \(PeerText.escaped(download.manifest.dataset)) received: \(size)")
        self.download = nil
        answer = .success(nil)
        condition.broadcast()
    }

    /// Called with the lock held.
    private func fail(_ error: Error) {
        download = nil
        answer = .failure(error)
        condition.broadcast()
    }

    private static func megabytes(_ bytes: Int) -> String { String(format: "%.1f", Double(bytes) / 1_000_000) }
}
