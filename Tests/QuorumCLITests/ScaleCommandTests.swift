import Foundation
import XCTest

/// The command-line side of running at scale: a metrics endpoint that other machines could reach needs a token,
/// and `loadtest` refuses settings out of range with a usage message naming the flag.
final class ScaleCommandTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("quorum-scale-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func testAMetricsEndpointOtherMachinesReachNeedsAToken() throws {
        for command in [["coordinator"], ["local"]] {
            let output = try CLIRunner.run(command + ["--metrics", "0.0.0.0:9464", "--members", "1"], in: dir)
            XCTAssertNotEqual(output.status, 0)
            XCTAssertTrue(
                output.stderr.contains("--metrics 0.0.0.0:9464 is reachable from other machines"), output.stderr)
        }
    }

    func testLoadTestSettingsOutOfRangeAreUsageErrors() throws {
        let output = try CLIRunner.run(
            ["loadtest", "--connect", "tcp://127.0.0.1:1", "--workers", "4", "--vanish-share", "1.5"], in: dir)
        XCTAssertNotEqual(output.status, 0)
        XCTAssertTrue(output.stderr.contains("--vanish-share must be within 0...1, got 1.5"), output.stderr)
    }
}
