import Foundation
import XCTest

/// `quorum worker` as an operator meets it.
final class WorkerCommandTests: XCTestCase {
    /// Without keys against a CURVE coordinator the worker cannot ever join: it stops after
    /// `--handshake-timeout` with a message naming CURVE and the flags to give, instead of reconnecting forever.
    func testWorkerWithoutKeysAgainstACurveCoordinatorStopsNamingTheCause() throws {
        try CLIRunner.requireFashionMNIST()
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("quorum-nokeys-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let keys = scratch.appendingPathComponent("keys")
        for name in ["coordinator", "worker"] {
            let made = try CLIRunner.run(["keygen", "--out", keys.path, "--name", name], in: scratch)
            XCTAssertEqual(made.status, 0, made.stderr)
        }
        let allowed = keys.appendingPathComponent("workers")
        try FileManager.default.createDirectory(at: allowed, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: keys.appendingPathComponent("worker.pub"),
            to: allowed.appendingPathComponent("worker.pub"))
        let err = scratch.appendingPathComponent("coordinator.err")
        let coordinator = try CLIRunner.start(
            [
                "coordinator", "--bind", "tcp://127.0.0.1:0", "--curve-key",
                keys.appendingPathComponent("coordinator.key").path, "--authorized-keys",
                allowed.path, "--members", "1", "--epochs", "1", "--model", "mlp",
                "--train-limit", "100", "--test-limit", "100", "--validation-size", "0",
                "--run-dir", scratch.appendingPathComponent("run").path
            ],
            stdout: scratch.appendingPathComponent("coordinator.out"), stderr: err)
        defer { if coordinator.isRunning { coordinator.interrupt(); coordinator.waitUntilExit() } }
        let bound = try CLIRunner.boundEndpoint(of: coordinator, stderr: err)
        let started = Date()
        let worker = try CLIRunner.run(
            ["worker", "--connect", bound, "--handshake-timeout", "1", "--name", "nokeys"],
            timeout: 30, in: scratch)
        XCTAssertNotEqual(worker.status, 0)
        XCTAssertLessThan(Date().timeIntervalSince(started), 20, "the worker gives up soon after the timeout")
        XCTAssertTrue(
            worker.stderr.contains("most likely runs with CURVE") && worker.stderr.contains("--curve-key")
                && worker.stderr.contains("--server-key"), worker.stderr)
        // The library's lines reach standard error through swift-log in the command line's format: the worker's
        // name, the level, the text.
        XCTAssertTrue(worker.stderr.contains("[nokeys] info: connecting to \(bound)\n"), worker.stderr)
        XCTAssertTrue(worker.stderr.contains("[nokeys] error: "), worker.stderr)
    }
}
