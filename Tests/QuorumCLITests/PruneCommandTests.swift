import XCTest

final class PruneCommandTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        try CLIRunner.requireFashionMNIST()
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("quorum-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { if let dir { try? FileManager.default.removeItem(at: dir) } }

    private let subset = ["--train-limit", "2000", "--test-limit", "500", "--validation-size", "300"]

    func testPruneThenEvaluateTheSmallerModel() throws {
        let model = dir.appendingPathComponent("m.safetensors").path
        let pruned = dir.appendingPathComponent("p.safetensors").path
        let train = try CLIRunner.run(
            [
                "train", "--model",
                "conv3x3(8) relu maxpool2 conv3x3(8) relu maxpool2 flatten dense(32) relu dense(10)",
                "--epochs", "1", "--seed", "2", "--out", model, "--quiet"
            ] + subset, in: dir)
        XCTAssertEqual(train.status, 0, train.stderr)
        let prune = try CLIRunner.run(
            [
                "prune", "--model", model, "--prune-ratio", "0.5", "--prune-rounds", "2",
                "--retrain-epochs", "1", "--out", pruned, "--quiet"
            ] + subset, in: dir)
        XCTAssertEqual(prune.status, 0, prune.stderr)
        let rows = prune.stdout.split(separator: "\n").filter { $0.contains("conv3x3(") }
        XCTAssertEqual(rows.count, 3, prune.stdout)
        XCTAssertTrue(rows[2].contains("conv3x3(4) relu maxpool2 conv3x3(4)"), prune.stdout)
        XCTAssertTrue(prune.stdout.contains("fewer FLOPs"), prune.stdout)

        let eval = try CLIRunner.run(["evaluate", "--model", pruned, "--test-limit", "500", "--json"], in: dir)
        XCTAssertEqual(eval.status, 0, eval.stderr)
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(eval.stdout.utf8)) as? [String: Any])
        XCTAssertGreaterThan(report["test_accuracy"] as? Double ?? 0, 0.5)
    }

    func testFinetuneAndImportPyTorch() throws {
        let pre = dir.appendingPathComponent("pre.safetensors").path
        let ft = dir.appendingPathComponent("ft.safetensors").path
        let m = "conv3x3(8) relu maxpool2 flatten dense(5)"
        let train = try CLIRunner.run(
            ["train", "--model", m, "--epochs", "1", "--classes", "0,1,2,3,4", "--out", pre, "--quiet"] + subset,
            in: dir)
        XCTAssertEqual(train.status, 0, train.stderr)
        let tune = try CLIRunner.run(
            [
                "finetune", "--from", pre, "--classes", "5,6,7,8,9", "--per-class-limit", "50",
                "--freeze-until", "3", "--epochs", "2", "--out", ft, "--quiet"
            ] + subset, in: dir)
        XCTAssertEqual(tune.status, 0, tune.stderr)
        XCTAssertTrue(tune.stdout.contains("Ankle boot"), tune.stdout)
        XCTAssertTrue(tune.stdout.contains("frozen"), tune.stdout)

        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/pytorch/pytorch_cnn_b.safetensors").path
        let imported = dir.appendingPathComponent("imported.safetensors").path
        let run = try CLIRunner.run(
            [
                "import-pytorch", "--weights", fixture, "--model", "cnn-b", "--input-shape", "8,12,1",
                "--classes", "a,b,c", "--normalization", "0.5,0.25", "--out", imported
            ], in: dir)
        XCTAssertEqual(run.status, 0, run.stderr)
        let summary = try CLIRunner.run(["summary", "--model", imported], in: dir)
        XCTAssertTrue(summary.stdout.contains("batchnorm"), summary.stdout)
        let wrong = try CLIRunner.run(
            [
                "import-pytorch", "--weights", fixture, "--model", "mlp", "--input-shape", "8,12,1",
                "--classes", "a,b,c", "--out", imported
            ], in: dir)
        XCTAssertNotEqual(wrong.status, 0)
        XCTAssertTrue(wrong.stderr.contains("pytorch_cnn_b.safetensors"), wrong.stderr)
    }
}
