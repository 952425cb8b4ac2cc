import XCTest

/// The ensemble methods from the command line: a bagged snapshot run, selection and stacking on its
/// validation split, and the run grown by more members.
final class EnsembleMethodsCLITests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        try CLIRunner.requireFashionMNIST()
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("quorum-methods-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { if let dir { try? FileManager.default.removeItem(at: dir) } }

    private func manifest(_ folder: URL) throws -> [String: Any] {
        let data = try Data(contentsOf: folder.appendingPathComponent("ensemble.json"))
        return try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    private func members(_ folder: URL) throws -> [[String: Any]] {
        try XCTUnwrap(try manifest(folder)["members"] as? [[String: Any]])
    }

    func testABaggedSnapshotRunIsSelectedStackedDistilledAndGrown() throws {
        let run = dir.appendingPathComponent("run")
        let common = [
            "--workers", "2", "--model", "flatten dense(10)", "--epochs", "2", "--train-limit", "2000",
            "--test-limit", "300", "--validation-size", "300", "--seed", "5", "--quiet"
        ]
        let run1 = try CLIRunner.run(
            ["local", "--run-dir", run.path, "--members", "2", "--bootstrap", "--snapshots", "2"] + common, in: dir)
        XCTAssertEqual(run1.status, 0, run1.stderr)
        let stored = try members(run)
        XCTAssertEqual(
            stored.compactMap { $0["name"] as? String }, ["member-00-c1", "member-00", "member-01-c1", "member-01"])
        XCTAssertEqual(
            stored.compactMap { $0["parent_job"] as? String }, ["member-00", "member-00", "member-01", "member-01"])
        XCTAssertEqual(stored.compactMap { $0["cycle"] as? Int }, [1, 2, 1, 2])
        XCTAssertEqual(stored.compactMap { $0["sample"] as? String }, Array(repeating: "bootstrap", count: 4))

        let greedy = dir.appendingPathComponent("greedy")
        let select = try CLIRunner.run(
            ["ensemble", "select", "--ensemble", run.path, "--size", "3", "--out", greedy.path], in: dir)
        XCTAssertEqual(select.status, 0, select.stderr)
        XCTAssertTrue(select.stdout.contains("300 validation images"), select.stdout)
        XCTAssertEqual(try manifest(greedy)["vote_rule"] as? String, "weighted")
        let picks = try members(greedy).compactMap { ($0["weight"] as? NSNumber)?.doubleValue }
        XCTAssertEqual(picks.reduce(0, +), 3, "weights count the picks")
        XCTAssertTrue(
            FileManager.default.fileExists(
                atPath: run.appendingPathComponent("predictions/member-00-c1.validation.safetensors").path))

        let stacked = dir.appendingPathComponent("stacked")
        let stack = try CLIRunner.run(
            ["ensemble", "select", "--ensemble", run.path, "--rule", "stacked", "--out", stacked.path], in: dir)
        XCTAssertEqual(stack.status, 0, stack.stderr)
        let vote = try CLIRunner.run(
            ["evaluate", "--ensemble", stacked.path, "--test-limit", "300", "--json"], in: dir)
        XCTAssertEqual(vote.status, 0, vote.stderr)
        // The stacked ensemble answers with its weighted vote, and the evaluation says so.
        let evaluation = try XCTUnwrap(
            (try JSONSerialization.jsonObject(with: Data(vote.stdout.utf8)) as? [String: Any])?["evaluation"]
                as? [String: Any])
        XCTAssertEqual((evaluation["comparison"] as? [String: Any])?["answer_rule"] as? String, "weighted")

        let distill = ["distill", "--ensemble", stacked.path, "--model", "flatten dense(10)", "--epochs", "1"]
        let student = dir.appendingPathComponent("student.safetensors")
        let taught = try CLIRunner.run(distill + ["--out", student.path], in: dir)
        XCTAssertEqual(taught.status, 0, taught.stderr)
        XCTAssertTrue(taught.stderr.contains("(computed, cached in"), taught.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: student.path))
        let again = try CLIRunner.run(
            distill + ["--out", dir.appendingPathComponent("again.safetensors").path], in: dir)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stderr.contains("(from the cache"), again.stderr)
        let consistent = try CLIRunner.run(
            distill + ["--teaching", "consistent", "--out", dir.appendingPathComponent("c.safetensors").path], in: dir)
        XCTAssertEqual(consistent.status, 0, consistent.stderr)
        XCTAssertTrue(consistent.stderr.contains("members scoring every batch"), consistent.stderr)
        let scored = try CLIRunner.run(["evaluate", "--model", student.path, "--test-limit", "300"], in: dir)
        XCTAssertEqual(scored.status, 0, "the student is an ordinary model file: " + scored.stderr)

        // Workers train students too: every member of this run learns from the stacked ensemble.
        let students = dir.appendingPathComponent("students")
        let taughtRun = try CLIRunner.run(
            [
                "local", "--run-dir", students.path, "--members", "2", "--teacher", stacked.path, "--teaching",
                "consistent"
            ]
                + common, in: dir)
        XCTAssertEqual(taughtRun.status, 0, taughtRun.stderr)
        let plan = try String(contentsOf: students.appendingPathComponent("plan.json"), encoding: .utf8)
        // Consistent teaching hands each job the teacher's model files and the stacked weights.
        let jobs = try XCTUnwrap(
            (try JSONSerialization.jsonObject(with: Data(plan.utf8)) as? [String: Any])?["members"] as? [[String: Any]])
        for job in jobs {
            let settings = try XCTUnwrap((job["config"] as? [String: Any])?["distillation"] as? [String: Any], "\(job)")
            XCTAssertEqual((settings["members"] as? [String])?.count, try members(stacked).count, "\(settings)")
            XCTAssertNotNil(settings["weights"], "\(settings)")
        }
        let otherData = try CLIRunner.run(
            ["local", "--run-dir", dir.appendingPathComponent("wrong").path, "--teacher", stacked.path] + common
                + ["--train-limit", "1000"], in: dir)
        XCTAssertNotEqual(otherData.status, 0)
        XCTAssertTrue(otherData.stderr.contains("give the same data flags"), otherData.stderr)

        let grown = try CLIRunner.run(["local", "--resume", run.path, "--members", "3"] + common, in: dir)
        XCTAssertEqual(grown.status, 0, grown.stderr)
        XCTAssertEqual(try members(run).count, 6, "a third job of two snapshots")
    }
}
