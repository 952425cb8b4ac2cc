import QuorumCore
import XCTest

final class TrainCommandTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        try CLIRunner.requireFashionMNIST()
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("quorum-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { if let dir { try? FileManager.default.removeItem(at: dir) } }

    func testTrainJSONThenEvaluateTheSavedModel() throws {
        let model = dir.appendingPathComponent("m.safetensors").path
        let train = try CLIRunner.run(
            [
                "train", "--model", "mlp", "--epochs", "2", "--train-limit", "2000", "--test-limit", "500",
                "--validation-size", "300", "--seed", "4", "--out", model, "--json"
            ], in: dir)
        XCTAssertEqual(train.status, 0, train.stderr)
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(train.stdout.utf8)) as? [String: Any])
        let accuracy = try XCTUnwrap(report["test_accuracy"] as? Double)
        XCTAssertGreaterThan(accuracy, 0.6)
        XCTAssertNotNil(report["train_seconds"] as? Double)
        XCTAssertGreaterThan(report["images_per_second"] as? Double ?? 0, 0)
        XCTAssertEqual((report["history"] as? [[String: Any]])?.count, 2)
        let history =
            try JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("m.history.json")))
            as? [[String: Any]]
        XCTAssertEqual(history?.first?["epoch"] as? Int, 1)
        XCTAssertNotNil(history?.first?["validation_accuracy"])

        let eval = try CLIRunner.run(["evaluate", "--model", model, "--test-limit", "500", "--json"], in: dir)
        XCTAssertEqual(eval.status, 0, eval.stderr)
        let evaluated = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(eval.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(evaluated["test_accuracy"] as? Double, accuracy, "the saved model answers as the trained one")
        XCTAssertEqual((evaluated["per_class_accuracy"] as? [Double])?.count, 10)

        let text = try CLIRunner.run(["evaluate", "--model", model, "--test-limit", "500"], in: dir)
        XCTAssertTrue(text.stdout.contains("Ankle boot"), text.stdout)
        XCTAssertTrue(text.stdout.contains("test accuracy:"))
    }

    func testEvaluateScoresWithTheTestTimeAugmentationTheModelWasTrainedWith() throws {
        let model = dir.appendingPathComponent("tta.safetensors").path
        let train = try CLIRunner.run(
            [
                "train", "--model", "mlp", "--epochs", "1", "--train-limit", "2000", "--test-limit", "500",
                "--validation-size", "300", "--tta", "flip", "--out", model, "--json"
            ], in: dir)
        XCTAssertEqual(train.status, 0, train.stderr)
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(train.stdout.utf8)) as? [String: Any])
        func evaluate(_ extra: [String]) throws -> [String: Any] {
            let run = try CLIRunner.run(
                ["evaluate", "--model", model, "--test-limit", "500", "--json"] + extra, in: dir)
            XCTAssertEqual(run.status, 0, run.stderr)
            return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        }
        let trained = try evaluate([])
        XCTAssertEqual(trained["test_time_augmentation"] as? String, "flip")
        XCTAssertEqual(
            trained["test_accuracy"] as? Double, report["test_accuracy"] as? Double,
            "evaluate reproduces training's figure only with the same test-time augmentation")
        let plain = try evaluate(["--tta", "none"])
        XCTAssertEqual(plain["test_time_augmentation"] as? String, "none")
        XCTAssertNotEqual(plain["test_loss"] as? Double, trained["test_loss"] as? Double)
    }

    func testAFreshNetworkIsDrawnAsPyTorchDrawsOneUnlessInitSaysOtherwise() throws {
        let quick = [
            "--model", "mlp", "--epochs", "1", "--train-limit", "500", "--test-limit", "100", "--validation-size", "50"
        ]
        func trainingConfig(_ name: String, _ extra: [String]) throws -> String {
            let path = dir.appendingPathComponent(name).path
            let run = try CLIRunner.run(["train"] + quick + extra + ["--out", path], in: dir)
            XCTAssertEqual(run.status, 0, run.stderr)
            return try ModelFile.load(path: path).metadata.training
        }
        XCTAssertTrue(try trainingConfig("default.safetensors", []).contains("\"initialization\":\"pytorch\""))
        XCTAssertFalse(try trainingConfig("he.safetensors", ["--init", "he"]).contains("initialization"))

        // A run from a saved model draws nothing, so the default does not apply, and an --init given is refused.
        let base = dir.appendingPathComponent("default.safetensors").path
        XCTAssertFalse(try trainingConfig("tuned.safetensors", ["--init-from", base]).contains("initialization"))
        let both = try CLIRunner.run(
            ["train"] + quick + ["--init-from", base, "--init", "xavier", "--out", base + ".x"], in: dir)
        XCTAssertNotEqual(both.status, 0)
        XCTAssertTrue(both.stderr.contains("initialization"), both.stderr)
        let finetuned = try CLIRunner.run(
            [
                "finetune", "--from", base, "--epochs", "1", "--train-limit", "500", "--test-limit", "100",
                "--validation-size", "50", "--out", dir.appendingPathComponent("f.safetensors").path
            ], in: dir)
        XCTAssertEqual(finetuned.status, 0, finetuned.stderr)
    }

    func testBadInputGetsAClearMessage() throws {
        let garbage = dir.appendingPathComponent("garbage.safetensors")
        try Data("not a model at all".utf8).write(to: garbage)
        let eval = try CLIRunner.run(["evaluate", "--model", garbage.path], in: dir)
        XCTAssertNotEqual(eval.status, 0)
        XCTAssertTrue(eval.stderr.contains("garbage.safetensors"), eval.stderr)

        let badModel = try CLIRunner.run(["train", "--model", "conv3x3(8) dense(10)", "--epochs", "1"], in: dir)
        XCTAssertNotEqual(badModel.status, 0)
        XCTAssertTrue(badModel.stderr.contains("put flatten or gap before it"), badModel.stderr)

        let badAugment = try CLIRunner.run(["train", "--augment", "hflip,spin=3"], in: dir)
        XCTAssertNotEqual(badAugment.status, 0)
        XCTAssertTrue(badAugment.stderr.contains("spin"), badAugment.stderr)

        let missingData = try CLIRunner.run(["train", "--data", dir.appendingPathComponent("nowhere").path], in: dir)
        XCTAssertNotEqual(missingData.status, 0)
        XCTAssertTrue(missingData.stderr.contains("nowhere"), missingData.stderr)
    }

    func testSummaryPrintsTheReferenceNet() throws {
        let out = try CLIRunner.run(["summary", "--model", "cnn-a"], in: dir)
        XCTAssertEqual(out.status, 0)
        XCTAssertTrue(out.stdout.contains("421,642") || out.stdout.contains("421642"), out.stdout)
    }
}
