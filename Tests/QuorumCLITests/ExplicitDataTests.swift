import Foundation
import XCTest

/// `--data train=IMAGES:LABELS,test=IMAGES:LABELS` with workers: `quorum local`'s workers use the files the
/// list names (the coordinator does not ship them locally, and the workers must not refuse the list).
final class ExplicitDataTests: XCTestCase {
    func testLocalRunTrainsFromAnExplicitFileList() throws {
        try CLIRunner.requireFashionMNIST()
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("quorum-explicit-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let f = "/usr/share/datasets/fashion-mnist"
        let spec =
            "train=\(f)/train-images-idx3-ubyte.gz:\(f)/train-labels-idx1-ubyte.gz,"
            + "test=\(f)/t10k-images-idx3-ubyte.gz:\(f)/t10k-labels-idx1-ubyte.gz"
        let run = scratch.appendingPathComponent("run")
        let out = try CLIRunner.run(
            [
                "local", "--workers", "1", "--members", "1", "--epochs", "1", "--model", "mlp",
                "--train-limit", "500", "--test-limit", "200", "--validation-size", "100",
                "--data", spec, "--run-dir", run.path, "--quiet"
            ], timeout: 120, in: scratch)
        let logs = (try? String(contentsOf: run.appendingPathComponent("logs/worker-0.log"), encoding: .utf8)) ?? ""
        XCTAssertEqual(out.status, 0, "\(out.stderr)\n\(logs)")
        let member = run.appendingPathComponent("members/member-00.safetensors")
        XCTAssertTrue(FileManager.default.fileExists(atPath: member.path))
    }
}
