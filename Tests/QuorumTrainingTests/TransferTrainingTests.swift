import XCTest
@testable import QuorumTraining
import QuorumCore

final class TransferTrainingTests: XCTestCase {
    private let small = "conv3x3(8) relu maxpool2 conv3x3(8) relu maxpool2 flatten dense(16) relu dense(5)"
    private var dir: URL!

    override func setUpWithError() throws {
        _ = try TrainingFixture.data()  // skips without Fashion-MNIST
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("quorum-transfer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { if let dir { try? FileManager.default.removeItem(at: dir) } }

    private func pretrained() throws -> String {
        var config = TrainingFixture.config(model: small, augment: "none")
        config.classes = [0, 1, 2, 3, 4]
        let outcome = try MemberTrainer(config: config, data: PreparedData.load(for: config)).train()
        XCTAssertEqual(outcome.metadata.classNames, ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat"])
        let path = dir.appendingPathComponent("pre.safetensors").path
        try outcome.modelFile.write(to: URL(fileURLWithPath: path))
        return path
    }

    func testClassSelectionRelabelsAndLimitsPerClass() throws {
        var config = TrainingFixture.config()
        config.classes = [7, 5]
        config.perClassLimit = 30
        let data = try PreparedData.load(for: config)
        XCTAssertEqual(data.train.classNames, ["Sneaker", "Sandal"])
        XCTAssertEqual(data.train.classCounts(), [30, 30])
        XCTAssertTrue(data.test.labels.allSatisfy { $0 == 0 || $0 == 1 })
        XCTAssertGreaterThan(data.test.count, 100)
        XCTAssertNotEqual(PreparedData.key(for: config), PreparedData.key(for: TrainingFixture.config()))
        config.classes = [3, 12]
        XCTAssertThrowsError(try PreparedData.load(for: config)) { XCTAssertTrue("\($0)".contains("class 12")) }
    }

    func testFineTuningOnOtherClassesGetsANewHeadAndLeavesFrozenBytesAlone() throws {
        let pre = try pretrained()
        let (original, _) = try ModelFile.load(path: pre)
        var config = TrainingFixture.config(model: "ignored when starting from a file", epochs: 4, augment: "none")
        config.initFrom = pre
        config.classes = [5, 6, 7, 8, 9]
        config.perClassLimit = 100
        config.batchSize = 20
        config.freeze = "all-but-last=2"
        let outcome = try MemberTrainer(config: config, data: PreparedData.load(for: config)).train()
        XCTAssertEqual(outcome.metadata.classNames, ["Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"])
        let (tuned, _) = try ModelFile.load(data: outcome.modelFile, path: "tuned")
        for index in 0..<7 {
            for (a, b) in zip(original.layers[index].parameters, tuned.layers[index].parameters) {
                XCTAssertEqual(a.value.array, b.value.array, "frozen layer \(index) \(a.name) kept its bytes")
            }
        }
        XCTAssertNotEqual(
            (tuned.layers[7] as! Dense).weight.value.array, (original.layers[7] as! Dense).weight.value.array,
            "the unfrozen dense layer was trained")
        XCTAssertEqual((tuned.layers[9] as! Dense).weight.value.shape, [5, 16])
        XCTAssertGreaterThan(
            outcome.test.accuracy, 0.6,
            "five classes from 500 images with a pretrained body: \(outcome.history.map(\.trainAccuracy))")
    }

    func testPruningRoundsShrinkTheModelAndReportEachRound() throws {
        var config = TrainingFixture.config(
            model: small.replacingOccurrences(of: "dense(5)", with: "dense(10)"), augment: "none")
        config.prune = PruneSettings(ratio: 0.5, rounds: 2, retrainEpochs: 1)
        var rows: [PruneRound] = []
        let trainer = try MemberTrainer(config: config, data: TrainingFixture.data())
        trainer.inferenceTimingSeconds = 0.1
        let outcome = try trainer.train(pruneProgress: { rows.append($0) })
        XCTAssertEqual(rows, outcome.pruneRounds)
        XCTAssertEqual(rows.map(\.round), [0, 1, 2])
        XCTAssertEqual(outcome.history.count, 3, "one training epoch, then one retraining epoch per round")
        XCTAssertTrue(rows[1].layers.hasPrefix("conv3x3(6) relu maxpool2 conv3x3(6)"), rows[1].layers)
        XCTAssertTrue(
            outcome.model.spec.layers.hasPrefix("conv3x3(4) relu maxpool2 conv3x3(4)"), outcome.model.spec.layers)
        XCTAssertLessThan(rows[2].flops, rows[1].flops)
        XCTAssertLessThan(rows[1].flops, rows[0].flops)
        XCTAssertTrue(rows.allSatisfy { $0.imagesPerSecond > 0 && $0.testAccuracy > 0.3 }, "chance is 0.1: \(rows)")
        XCTAssertGreaterThan(rows[2].testAccuracy, rows[0].testAccuracy, "retraining goes on learning")
        XCTAssertEqual(rows[2].testAccuracy, outcome.test.accuracy)
        let (reloaded, meta) = try ModelFile.load(data: outcome.modelFile, path: "pruned")
        XCTAssertEqual(reloaded.spec, outcome.model.spec)
        XCTAssertTrue(meta.training.contains("\"prune\""))
    }

    func testPruneAndFreezeSettingsAreChecked() {
        var c = TrainingConfig()
        c.prune = PruneSettings(ratio: 1.2)
        XCTAssertThrowsError(try c.validate()) { XCTAssertTrue("\($0)".contains("prune.ratio")) }
        c = TrainingConfig()
        c.freeze = "half"
        XCTAssertThrowsError(try c.validate()) { XCTAssertTrue("\($0)".contains("freeze")) }
        c = TrainingConfig()
        c.epochs = 0
        XCTAssertThrowsError(try c.validate()) { XCTAssertTrue("\($0)".contains("epochs")) }
        c.initFrom = "model.safetensors"
        XCTAssertNoThrow(try c.validate(), "a run from a file may prune or evaluate without training first")
    }
}
