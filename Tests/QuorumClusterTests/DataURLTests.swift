import Foundation
import QuorumTestSupport
import XCTest
@testable import QuorumCluster

/// A data set fetched from the manifest's `url` (a shared folder here) instead of the coordinator: checked
/// against the same hashes, and the coordinator ships no chunk. A URL that does not serve the files falls back
/// to chunks.
final class DataURLTests: XCTestCase {
    private var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("quorum-url-\(UUID().uuidString)")
        try IDXFixture.write(scratch.appendingPathComponent("fashion-tiny"), side: 12)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: scratch) }

    /// Runs two jobs on a worker lacking the data; returns the data bytes the coordinator shipped and the
    /// worker's log.
    private func run(dataURL: String) throws -> (shipped: Int, logs: [String]) {
        let run = try RemoteDatasetRun(
            source: scratch.appendingPathComponent("fashion-tiny"),
            cache: DatasetCache(root: scratch.appendingPathComponent("cache-\(UUID().uuidString.prefix(4))")),
            host: "fetcher", dataURL: dataURL)
        return (run.coordinator.server.monitor.snapshot.dataBytesShipped, run.logs)
    }

    func testWorkersFetchFromASharedFolderAndTheCoordinatorShipsNothing() throws {
        let source = scratch.appendingPathComponent("fashion-tiny")
        let (shipped, logs) = try run(dataURL: "file://" + source.path)
        XCTAssertEqual(shipped, 0, "the coordinator sent data chunks although the files were at the URL")
        XCTAssertEqual(logs.filter { $0.contains("fetched from its URL") }.count, 1, "\(logs)")
    }

    func testAURLThatDoesNotServeTheFilesFallsBackToChunks() throws {
        let (shipped, logs) = try run(dataURL: scratch.appendingPathComponent("nowhere").path)
        let total = try DatasetBundle.resolve(scratch.appendingPathComponent("fashion-tiny").path).files
            .reduce(0) { $0 + $1.bytes }
        XCTAssertEqual(shipped, total, "every byte came in chunks")
        XCTAssertTrue(logs.contains { $0.contains("not fetched from") && $0.contains("nowhere") }, "\(logs)")
    }
}
