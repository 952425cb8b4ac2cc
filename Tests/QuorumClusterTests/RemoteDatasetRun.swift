import Foundation
import QuorumTestSupport
import XCTest
@testable import QuorumCluster

/// Two jobs on one worker that lacks their data set: the coordinator names `source` by a path the worker
/// cannot resolve, as on a machine without the folder, and serves it in 4 KiB chunks (or points at
/// `dataURL`). Checks that the run completes, that both jobs loaded the cached copy, and that the copy equals
/// the source file for file.
struct RemoteDatasetRun {
    /// The data set as the coordinator shipped it.
    let shipped: DatasetBundle
    /// The coordinator, after its run.
    let coordinator: Harness.Coordinator
    /// The worker's cached copy.
    let folder: URL
    /// The worker's log lines.
    let logs: [String]

    init(source: URL, cache: DatasetCache, host: String, dataURL: String? = nil) throws {
        let local = try DatasetBundle.resolve(source.path)
        let remoteName = "/nonexistent-\(UUID().uuidString.prefix(6))/\(source.lastPathComponent)"
        shipped = DatasetBundle(name: remoteName, folder: source, files: local.files)
        coordinator = try Harness.Coordinator(jobs: 2, datasets: [shipped], chunkBytes: 4096, dataURL: dataURL)
        let specs = Recorder<String>(), logs = Recorder<String>()
        let ended = try Harness.runFetchingWorker(
            coordinator, host: host, cache: cache, dataset: remoteName, logs: logs, fetched: specs.append)
        XCTAssertEqual(ended.run, .complete)
        XCTAssertEqual(ended.worker, .disconnected(reason: "run complete"))
        folder = cache.folder(for: shipped.manifest(chunkBytes: 4096))
        XCTAssertEqual(specs.all, [folder.path, folder.path])
        for f in local.files {
            XCTAssertEqual(
                try Data(contentsOf: folder.appendingPathComponent(f.name)),
                try Data(contentsOf: source.appendingPathComponent(f.name)))
        }
        self.logs = logs.all
    }
}
