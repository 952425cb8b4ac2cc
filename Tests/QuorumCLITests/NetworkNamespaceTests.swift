import Foundation
import XCTest

/// The cluster across machines, simulated with network namespaces: each host has its own address and
/// link, the coordinator runs with CURVE, links are cut, strangers knock and data sets travel.
final class NetworkNamespaceTests: XCTestCase {
    private var dir: URL!
    private var lab: NamespaceLab?

    /// Long enough per member (a couple of seconds) to cut a link while a worker trains.
    static let runArguments = [
        "--members", "4", "--model", "conv3x3(8) relu maxpool2 flatten dense(10)", "--epochs", "2",
        "--train-limit", "4000", "--test-limit", "500", "--validation-size", "300", "--seed", "5",
        "--heartbeat", "0.2", "--liveness", "3", "--json"
    ]

    override func setUpWithError() throws {
        try CLIRunner.requireFashionMNIST()
        dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "quorum-netns-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        lab?.tearDown()
        lab = nil
        if let dir { try? FileManager.default.removeItem(at: dir) }
    }

    private func file(_ name: String) -> URL { dir.appendingPathComponent(name) }
    private func text(_ name: String) -> String { (try? String(contentsOf: file(name), encoding: .utf8)) ?? "" }

    private func keygen(_ name: String, into folder: String = "keys") throws {
        let r = try CLIRunner.run(["keygen", "--out", file(folder).path, "--name", name], timeout: 20, in: dir)
        XCTAssertEqual(r.status, 0, r.stderr)
    }

    private func workerArguments(key: String, extra: [String] = []) -> [String] {
        [
            "worker", "--connect", "tcp://10.77.0.1:5555", "--curve-key", file("keys/\(key).key").path,
            "--server-key", file("keys/coordinator.pub").path, "--heartbeat", "0.2", "--liveness", "3",
            "--cache-dir", file("cache-\(key)").path
        ] + extra
    }

    func testCurveRunAcrossNamespacesSurvivesACutLinkAndRefusesAStranger() throws {
        let lab = try NamespaceLab(workers: 3)
        self.lab = lab
        for name in ["coordinator", "w1", "w2", "stranger"] { try keygen(name) }
        let allowed = file("allowed")
        try FileManager.default.createDirectory(at: allowed, withIntermediateDirectories: true)
        for name in ["w1", "w2"] {
            try FileManager.default.copyItem(
                at: file("keys/\(name).pub"), to: allowed.appendingPathComponent("\(name).pub"))
        }
        // Without keys a non-loopback bind is refused outright.
        let open = try CLIRunner.run(
            ["coordinator", "--bind", "tcp://10.77.0.1:5555", "--run-dir", file("nope").path] + Self.runArguments,
            timeout: 20, in: dir)
        XCTAssertNotEqual(open.status, 0)
        XCTAssertTrue(open.stderr.contains("--insecure"), open.stderr)

        let coordinator = try lab.start(
            in: lab.coordinator,
            [
                "coordinator", "--bind", "tcp://10.77.0.1:5555",
                "--curve-key", file("keys/coordinator.key").path,
                "--authorized-keys", allowed.path, "--run-dir", file("run").path
            ]
                + Self.runArguments, stdout: file("c.out"), stderr: file("c.err"))
        let w1 = try lab.start(
            in: lab.workers[0], workerArguments(key: "w1"), stdout: file("w1.out"), stderr: file("w1.err"))
        let w2 = try lab.start(
            in: lab.workers[1], workerArguments(key: "w2"), stdout: file("w2.out"), stderr: file("w2.err"))
        let stranger = try lab.start(
            in: lab.workers[2], workerArguments(key: "stranger", extra: ["--handshake-timeout", "1"]),
            stdout: file("s.out"), stderr: file("s.err"))

        // Cut w2's cable once it is training (its first epoch is done).
        let deadline = Date().addingTimeInterval(60)
        while !text("w2.err").contains("epoch 1/2") && coordinator.isRunning && Date() < deadline { usleep(20_000) }
        XCTAssertTrue(text("w2.err").contains("epoch 1/2"), "w2 never trained: \(text("w2.err"))\n\(text("c.err"))")
        try lab.cut(worker: 2)

        guard NamespaceLab.wait(stranger, 15) else {
            return XCTFail("a refused worker must give up, not hang: \(text("s.err"))")
        }
        XCTAssertNotEqual(stranger.terminationStatus, 0)
        XCTAssertTrue(text("s.err").contains("CURVE handshake"), text("s.err"))

        guard NamespaceLab.wait(coordinator, 90) else { return XCTFail("the run did not complete: \(text("c.err"))") }
        XCTAssertEqual(coordinator.terminationStatus, 0, text("c.err"))
        XCTAssertTrue(NamespaceLab.wait(w1, 10))
        let report = try XCTUnwrap(
            JSONSerialization.jsonObject(with: Data(text("c.out").utf8)) as? [String: Any], text("c.out"))
        XCTAssertEqual((report["members"] as? [Any])?.count, 4)
        let log = text("c.err")
        XCTAssertTrue(log.contains("expired"), log)
        XCTAssertTrue(log.contains("refused a worker at \(lab.address(worker: 3))"), log)
        XCTAssertFalse(log.contains("refused a worker at \(lab.address(worker: 1))"), log)
        let journal = try String(contentsOf: file("run/journal.jsonl"), encoding: .utf8)
        XCTAssertEqual(journal.split(separator: "\n").filter { $0.contains("\"completed\"") }.count, 4)
        XCTAssertTrue(w2.isRunning, "w2 keeps trying to reach the coordinator over its dead link")
    }

    func testWorkerWithoutTheDataSetGetsItShippedAndTrainsTheSameMember() throws {
        let lab = try NamespaceLab(workers: 1)
        self.lab = lab
        for name in ["coordinator", "w1"] { try keygen(name) }
        let allowed = file("allowed")
        try FileManager.default.createDirectory(at: allowed, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: file("keys/w1.pub"), to: allowed.appendingPathComponent("w1.pub"))
        let args = [
            "--members", "1", "--model", "mlp", "--epochs", "1", "--train-limit", "2000", "--test-limit", "300",
            "--validation-size", "200", "--seed", "3", "--heartbeat", "0.2", "--liveness", "5", "--json"
        ]
        let coordinator = try lab.start(
            in: lab.coordinator,
            [
                "coordinator", "--bind", "tcp://10.77.0.1:5555",
                "--curve-key", file("keys/coordinator.key").path,
                "--authorized-keys", allowed.path, "--run-dir", file("run").path
            ] + args,
            stdout: file("c.out"), stderr: file("c.err"))
        // This worker's machine has no Fashion-MNIST: an empty folder hides the package's files from it alone.
        let hide =
            "mount -t tmpfs quorum-empty /usr/share/datasets/fashion-mnist && ! ls /usr/share/datasets/fashion-mnist/*.gz 2>/dev/null"
        let worker = try lab.start(
            in: lab.workers[0], workerArguments(key: "w1"), setup: hide, stdout: file("w.out"), stderr: file("w.err"))
        guard NamespaceLab.wait(coordinator, 60) else {
            return XCTFail("the run did not complete: \(text("c.err"))\n\(text("w.err"))")
        }
        XCTAssertEqual(coordinator.terminationStatus, 0, text("c.err") + text("w.err"))
        XCTAssertTrue(NamespaceLab.wait(worker, 10))
        let log = text("w.err")
        let received = try XCTUnwrap(
            log.split(separator: "\n").first { $0.contains("data set fashion-mnist received") }, log)
        print("shipping over CURVE: \(received)")
        let cached = try FileManager.default.contentsOfDirectory(atPath: file("cache-w1/datasets").path)
        XCTAssertEqual(cached.count, 1, "\(cached)")
        let folder = file("cache-w1/datasets/\(cached[0])")
        for name in [
            "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
            "t10k-labels-idx1-ubyte.gz"
        ] {
            XCTAssertEqual(
                try Data(contentsOf: folder.appendingPathComponent(name)),
                try Data(contentsOf: URL(fileURLWithPath: "/usr/share/datasets/fashion-mnist/\(name)")), name)
        }
        // The shipped copy trains exactly the member a machine with the package trains.
        let local = try CLIRunner.run(
            ["local", "--workers", "1", "--run-dir", file("local").path] + args, timeout: 60, in: dir)
        XCTAssertEqual(local.status, 0, local.stderr)
        XCTAssertEqual(
            try Data(contentsOf: file("run/members/member-00.safetensors")),
            try Data(contentsOf: file("local/members/member-00.safetensors")))
    }
}
