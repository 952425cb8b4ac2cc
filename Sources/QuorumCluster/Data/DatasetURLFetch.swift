import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Copies a data set's files from where the coordinator's manifest says they also are (its `url`): over
/// HTTP(S), or from a file system the workers share. The coordinator then sends nothing but the manifest.
///
/// Nothing from there is trusted more than a chunk: a file is written only up to its declared size (a larger
/// answer stops the transfer), must be a regular file when copied from a path, and `DatasetCache.commit`
/// checks every file's SHA-256 against the manifest before the data set is used.
enum DatasetURLFetch {
    /// Fetches every file of `manifest` from its `url` into `folder`; throws naming the file and the problem.
    static func fetch(_ manifest: DataManifestHeader, into folder: URL, cancel: CancellationFlag) throws {
        guard let base = manifest.url else { return }
        for file in manifest.files {
            if cancel.isCancelled {
                throw DataShippingError.interrupted(dataset: manifest.dataset, reason: cancel.reason ?? "cancelled")
            }
            let target = folder.appendingPathComponent(file.name)
            if base.hasPrefix("http://") || base.hasPrefix("https://") {
                try download(base + "/" + file.name, to: target, bytes: file.bytes, cancel: cancel)
            } else {
                try copy(
                    URL(fileURLWithPath: base.hasPrefix("file://") ? String(base.dropFirst(7)) : base), file, to: target
                )
            }
        }
    }

    /// Copies `file` from the shared folder `source`: a regular file of exactly the declared size.
    private static func copy(_ source: URL, _ file: DataFileEntry, to target: URL) throws {
        let path = source.appendingPathComponent(file.name).path
        let attributes: [FileAttributeKey: Any]
        do { attributes = try FileManager.default.attributesOfItem(atPath: path) } catch {
            throw DataShippingError.io(path: path, reason: "cannot read it: \(error.localizedDescription)")
        }
        guard attributes[.type] as? FileAttributeType == .typeRegular else {
            throw DataShippingError.io(path: path, reason: "is not a regular file")
        }
        let size = (attributes[.size] as? NSNumber)?.intValue ?? -1
        guard size == file.bytes else {
            throw DataShippingError.io(path: path, reason: "holds \(size) bytes; the manifest says \(file.bytes)")
        }
        do { try FileManager.default.copyItem(atPath: path, toPath: target.path) } catch {
            throw DataShippingError.io(path: path, reason: "cannot copy it: \(error.localizedDescription)")
        }
    }

    /// GETs `address` into `target`, stopping once more than `bytes` arrive.
    private static func download(_ address: String, to target: URL, bytes: Int, cancel: CancellationFlag) throws {
        guard let url = URL(string: address) else {
            throw DataShippingError.io(path: address, reason: "is not a valid URL")
        }
        guard FileManager.default.createFile(atPath: target.path, contents: nil),
            let handle = try? FileHandle(forWritingTo: target)
        else { throw DataShippingError.io(path: target.path, reason: "cannot create the file") }
        defer { try? handle.close() }
        let sink = DownloadSink(handle: handle, limit: bytes, cancel: cancel)
        let session = URLSession(configuration: .ephemeral, delegate: sink, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        session.dataTask(with: url).resume()
        sink.done.wait()
        if let problem = sink.problem { throw DataShippingError.io(path: address, reason: problem) }
    }
}

/// Writes a download to a file as it arrives, and stops it at a bad status, too many bytes or cancellation.
private final class DownloadSink: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    let handle: FileHandle
    let limit: Int
    let cancel: CancellationFlag
    let done = DispatchSemaphore(value: 0)
    var received = 0
    var problem: String?

    init(handle: FileHandle, limit: Int, cancel: CancellationFlag) {
        self.handle = handle
        self.limit = limit
        self.cancel = cancel
    }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void
    ) {
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard status == 200 else {
            problem = "answered HTTP status \(status), not 200"
            completionHandler(.cancel)
            return
        }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        received += data.count
        if received > limit {
            problem = "sent more than the \(limit) bytes the manifest declares"
        } else if cancel.isCancelled {
            problem = "cancelled: \(cancel.reason ?? "stop requested")"
        } else {
            do { try handle.write(contentsOf: data) } catch { problem = "cannot write: \(error)" }
        }
        if problem != nil { dataTask.cancel() }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        if problem == nil, let error { problem = error.localizedDescription }
        if problem == nil, received != limit { problem = "sent \(received) bytes; the manifest declares \(limit)" }
        done.signal()
    }
}
