import XCTest

/// `quorum local` end to end: real coordinator and worker processes training real members on a Fashion-MNIST subset.
final class LocalRunTests: XCTestCase {
    private var dir: URL!

    /// Small but long enough (a couple of seconds per member) to kill a worker mid-training.
    static let runArguments = [
        "--members", "3", "--workers", "2", "--model", "conv3x3(8) relu maxpool2 flatten dense(10)",
        "--epochs", "2", "--train-limit", "6000", "--test-limit", "500", "--validation-size", "300",
        "--augment", "random", "--seed", "21", "--heartbeat", "0.2", "--liveness", "3", "--json"
    ]

    override func setUpWithError() throws {
        try CLIRunner.requireFashionMNIST()
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("quorum-local-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { if let dir { try? FileManager.default.removeItem(at: dir) } }

    private func json(_ text: String) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], text)
    }

    private func testAccuracies(_ report: [String: Any]) -> [Double] {
        ((report["members"] as? [[String: Any]]) ?? []).compactMap { $0["test_accuracy"] as? Double }
    }

    private func votes(_ report: [String: Any]) -> [String: Double] {
        var out: [String: Double] = [:]
        for v in (report["votes"] as? [[String: Any]]) ?? [] {
            if let rule = v["rule"] as? String, let acc = v["accuracy"] as? Double { out[rule] = acc }
        }
        return out
    }

    func testUndisturbedAndKilledWorkerRunsVoteTheSame() throws {
        let calm = dir.appendingPathComponent("calm")
        let first = try CLIRunner.run(["local", "--run-dir", calm.path] + Self.runArguments, in: dir)
        XCTAssertEqual(first.status, 0, first.stderr)
        let calmReport = try json(first.stdout)
        XCTAssertEqual(testAccuracies(calmReport).count, 3)
        XCTAssertEqual(Set(votes(calmReport).keys), ["hard", "soft", "weighted"])
        for file in [
            "plan.json", "journal.jsonl", "summary.json", "ensemble.json", "report.html",
            "members/member-00.safetensors", "members/member-02.history.json", "predictions/member-01.safetensors"
        ] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: calm.appendingPathComponent(file).path), file)
        }

        // Same seeds again, but one worker is killed with SIGKILL while it trains.
        let rough = dir.appendingPathComponent("rough")
        let out = dir.appendingPathComponent("rough.out"), err = dir.appendingPathComponent("rough.err")
        let coordinator = try CLIRunner.start(
            ["local", "--run-dir", rough.path] + Self.runArguments, stdout: out, stderr: err)
        var victim: Int32?
        let deadline = Date().addingTimeInterval(120)
        while victim == nil && coordinator.isRunning && Date() < deadline {
            for i in 0..<2 {
                let log =
                    (try? String(contentsOf: rough.appendingPathComponent("logs/worker-\(i).log"), encoding: .utf8))
                    ?? ""
                if log.contains("epoch 1/2") {
                    victim =
                        CLIRunner.processes(
                            containing: "--name local-\(i) --parent-pid \(coordinator.processIdentifier)"
                        ).first
                    break
                }
            }
            usleep(20_000)
        }
        let killed = try XCTUnwrap(victim, "no worker reached its first epoch")
        kill(killed, SIGKILL)
        while coordinator.isRunning && Date() < deadline { usleep(50_000) }
        XCTAssertFalse(coordinator.isRunning)
        coordinator.waitUntilExit()
        XCTAssertEqual(coordinator.terminationStatus, 0, (try? String(contentsOf: err, encoding: .utf8)) ?? "")
        let roughReport = try json(String(contentsOf: out, encoding: .utf8))
        XCTAssertEqual(testAccuracies(roughReport), testAccuracies(calmReport), "a re-run member gives the same model")
        XCTAssertEqual(votes(roughReport), votes(calmReport))
        for job in ["member-00", "member-01", "member-02"] {
            XCTAssertEqual(
                try Data(contentsOf: rough.appendingPathComponent("members/\(job).safetensors")),
                try Data(contentsOf: calm.appendingPathComponent("members/\(job).safetensors")), job)
        }
        XCTAssertEqual(
            CLIRunner.processes(containing: "--parent-pid \(coordinator.processIdentifier)"), [],
            "no worker left behind")
    }

    func testResumeTrainsOnlyWhatIsMissing() throws {
        let run = dir.appendingPathComponent("run")
        let args = [
            "--members", "2", "--workers", "1", "--model", "mlp", "--epochs", "1", "--train-limit", "2000",
            "--test-limit", "300", "--validation-size", "200", "--json"
        ]
        let first = try CLIRunner.run(["local", "--run-dir", run.path] + args, in: dir)
        XCTAssertEqual(first.status, 0, first.stderr)
        let kept = try Data(contentsOf: run.appendingPathComponent("members/member-00.safetensors"))
        try FileManager.default.removeItem(at: run.appendingPathComponent("predictions/member-01.safetensors"))

        let again = try CLIRunner.run(["local", "--run-dir", run.path] + args, in: dir)
        XCTAssertNotEqual(again.status, 0, "an existing run is not overwritten without --resume")
        XCTAssertTrue(again.stderr.contains("--resume"), again.stderr)

        let resumed = try CLIRunner.run(["local", "--resume", run.path] + args, in: dir)
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertEqual(try Data(contentsOf: run.appendingPathComponent("members/member-00.safetensors")), kept)
        let journal = try String(contentsOf: run.appendingPathComponent("journal.jsonl"), encoding: .utf8)
        let completions = journal.split(separator: "\n").filter { $0.contains("\"completed\"") }
        XCTAssertEqual(completions.filter { $0.contains("member-00") }.count, 1, "member-00 was not trained again")
        XCTAssertEqual(completions.filter { $0.contains("member-01") }.count, 2)
        XCTAssertTrue(journal.contains("\"resumed\""))
        XCTAssertEqual(testAccuracies(try json(resumed.stdout)), testAccuracies(try json(first.stdout)))

        // `report --out FILE` writes FILE and leaves the run directory's own files alone.
        let own = ["report.html", "summary.json", "ensemble.json"]
        let before = try own.map { try Data(contentsOf: run.appendingPathComponent($0)) }
        let elsewhere = dir.appendingPathComponent("elsewhere.html")
        let report = try CLIRunner.run(["report", run.path, "--out", elsewhere.path], in: dir)
        XCTAssertEqual(report.status, 0, report.stderr)
        XCTAssertTrue(report.stdout.contains(elsewhere.path), report.stdout)
        XCTAssertTrue(try String(contentsOf: elsewhere, encoding: .utf8).contains("<html"))
        XCTAssertEqual(try own.map { try Data(contentsOf: run.appendingPathComponent($0)) }, before)
    }

    func testAMemberThatFailsForGoodIsLeftOutAndTheRunFinishesWithTheOthers() throws {
        let run = dir.appendingPathComponent("partial")
        // member-01's network does not fit the data (dense on images), so every attempt fails on the worker.
        let out = try CLIRunner.run(
            [
                "local", "--run-dir", run.path, "--members", "2", "--workers", "1",
                "--vary", "model=mlp,dense(10)", "--epochs", "1", "--train-limit", "1000",
                "--test-limit", "200", "--validation-size", "100", "--heartbeat", "0.2", "--json"
            ],
            in: dir)
        XCTAssertEqual(out.status, 3, out.stderr)
        XCTAssertTrue(out.stderr.contains("member member-01 is missing"), out.stderr)
        XCTAssertEqual(testAccuracies(try json(out.stdout)).count, 1, "the ensemble of the members it has is voted")
        let summary = try json(String(contentsOf: run.appendingPathComponent("summary.json"), encoding: .utf8))
        XCTAssertEqual(summary["missing_members"] as? [String], ["member-01"])
        let reasons = summary["failed_members"] as? [String: String]
        XCTAssertTrue(reasons?["member-01"]?.contains("dense") == true, "\(summary)")
        let journal = try String(contentsOf: run.appendingPathComponent("journal.jsonl"), encoding: .utf8)
        XCTAssertTrue(journal.contains("\"jobFailed\""), journal)
    }

    func testWorkersExitWhenTheCoordinatorIsKilled() throws {
        let run = dir.appendingPathComponent("orphans")
        let coordinator = try CLIRunner.start(
            [
                "local", "--run-dir", run.path, "--members", "4", "--workers", "2",
                "--model", "mlp", "--epochs", "50", "--train-limit", "20000", "--quiet"
            ],
            stdout: dir.appendingPathComponent("o.out"), stderr: dir.appendingPathComponent("o.err"))
        let marker = "--parent-pid \(coordinator.processIdentifier)"
        let deadline = Date().addingTimeInterval(60)
        while CLIRunner.processes(containing: marker).count < 2 && Date() < deadline { usleep(50_000) }
        XCTAssertEqual(CLIRunner.processes(containing: marker).count, 2)
        kill(coordinator.processIdentifier, SIGKILL)
        coordinator.waitUntilExit()
        let gone = Date().addingTimeInterval(10)
        while !CLIRunner.processes(containing: marker).isEmpty && Date() < gone { usleep(50_000) }
        XCTAssertEqual(CLIRunner.processes(containing: marker), [], "workers must not outlive a killed coordinator")
    }

    func testCtrlCStopsTheRunAndItsWorkers() throws {
        let run = dir.appendingPathComponent("interrupted")
        let coordinator = try CLIRunner.start(
            [
                "local", "--run-dir", run.path, "--members", "4", "--workers", "2",
                "--model", "mlp", "--epochs", "50", "--train-limit", "20000", "--quiet"
            ],
            stdout: dir.appendingPathComponent("i.out"), stderr: dir.appendingPathComponent("i.err"))
        let marker = "--parent-pid \(coordinator.processIdentifier)"
        let deadline = Date().addingTimeInterval(60)
        while CLIRunner.processes(containing: marker).count < 2 && Date() < deadline { usleep(50_000) }
        usleep(500_000)
        kill(coordinator.processIdentifier, SIGINT)
        let stopped = Date().addingTimeInterval(20)
        while coordinator.isRunning && Date() < stopped { usleep(50_000) }
        XCTAssertFalse(coordinator.isRunning, "Ctrl-C ends the run promptly")
        coordinator.waitUntilExit()
        XCTAssertEqual(CLIRunner.processes(containing: marker), [])
        let err = try String(contentsOf: dir.appendingPathComponent("i.err"), encoding: .utf8)
        XCTAssertTrue(err.contains("--resume"), err)
    }
}

/// Fine-tuned and pruned members travel in the plan like any other and are trained by the workers.
final class LocalTransferRunTests: XCTestCase {
    func testWorkersFineTuneAndPruneMembers() throws {
        try CLIRunner.requireFashionMNIST()
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("quorum-local-ft-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let base = dir.appendingPathComponent("base.safetensors").path
        let subset = ["--train-limit", "2000", "--test-limit", "300", "--validation-size", "200"]
        let pre = try CLIRunner.run(
            [
                "train", "--model", "conv3x3(8) relu maxpool2 flatten dense(10)", "--epochs", "1",
                "--out", base, "--quiet"
            ] + subset, in: dir)
        XCTAssertEqual(pre.status, 0, pre.stderr)

        let run = dir.appendingPathComponent("run")
        let out = try CLIRunner.run(
            [
                "local", "--members", "2", "--workers", "2", "--run-dir", run.path, "--init-from", base,
                "--freeze", "all-but-last=1", "--epochs", "1", "--prune-ratio", "0.25",
                "--prune-rounds", "1", "--retrain-epochs", "1", "--json"
            ] + subset, in: dir)
        XCTAssertEqual(out.status, 0, out.stderr)
        let plan = try String(contentsOf: run.appendingPathComponent("plan.json"), encoding: .utf8)
        XCTAssertTrue(plan.contains("base.safetensors"), "the plan names the model members start from")
        for job in ["member-00", "member-01"] {
            let file = try SafeTensorsHeader.read(run.appendingPathComponent("members/\(job).safetensors"))
            XCTAssertTrue(
                file.contains("conv3x3(6)"), "the member's model was pruned from 8 to 6 filters: \(file.prefix(400))")
        }
    }
}

/// The JSON header of a safetensors file, as text.
enum SafeTensorsHeader {
    static func read(_ url: URL) throws -> String {
        let data = try Data(contentsOf: url)
        let length = Int(
            data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) })
        return String(decoding: data.subdata(in: 8..<8 + length), as: UTF8.self)
    }
}
