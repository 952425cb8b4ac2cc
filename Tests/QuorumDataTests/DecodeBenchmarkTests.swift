import Foundation
import XCTest
@testable import QuorumData

/// The decode benchmark counts what it decodes; scripts/bench_decode.sh runs it on a large folder.
final class DecodeBenchmarkTests: XCTestCase {
    func testCountsEveryFileAndEachFailure() throws {
        let root = TemporaryFolder()
        ImageFolderTests.put(root, "a/1.png", ImageFolderTests.png(5, 5, value: 3))
        ImageFolderTests.put(root, "a/2.jpg", try ImageFolderTests.jpegFixture("progressive.jpg"))
        ImageFolderTests.put(root, "b/3.jpg", try ImageFolderTests.jpegFixture("truncated.jpg"))
        let scan = try ImageFolderScan.scan(root.path, testShare: 0)
        let result = DecodeBenchmark.run(
            scan, settings: try ImageFolderSettings(height: 8, width: 8, channels: 3),
            repeats: 2)
        XCTAssertEqual(result.images, 3)
        XCTAssertEqual(result.failures, 1)
        XCTAssertGreaterThan(result.seconds, 0)
    }

    /// Not a timed test: it measures only when QUORUM_DECODE_BENCH_DIR names a folder, and prints the figure.
    func testDecodeSpeedOfTheFolderNamedByTheEnvironment() throws {
        let environment = ProcessInfo.processInfo.environment
        guard let folder = environment["QUORUM_DECODE_BENCH_DIR"] else {
            throw XCTSkip("set QUORUM_DECODE_BENCH_DIR to an image folder (scripts/bench_decode.sh does)")
        }
        let size = Int(environment["QUORUM_DECODE_BENCH_SIZE"] ?? "") ?? 28
        let scan = try ImageFolderScan.scan(folder, testShare: 0)
        let settings = try ImageFolderSettings(height: size, width: size, channels: 1)
        let result = DecodeBenchmark.run(scan, settings: settings)
        XCTAssertEqual(result.failures, 0)
        print(
            "Quorum (TurboJPEG, \(ProcessInfo.processInfo.activeProcessorCount) cores): "
                + "\(Int(result.imagesPerSecond.rounded())) images/s (\(result.images) images)")
    }
}
