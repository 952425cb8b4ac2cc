import XCTest
@testable import QuorumTraining
import QuorumData
import QuorumCore

final class MemberTrainerTests: XCTestCase {
    func testSameSeedGivesByteIdenticalModelFilesAndOtherSeedDoesNot() throws {
        let data = try TrainingFixture.data()
        let a = try MemberTrainer(config: TrainingFixture.config(seed: 5), data: data).train()
        let b = try MemberTrainer(config: TrainingFixture.config(seed: 5), data: data).train()
        let c = try MemberTrainer(config: TrainingFixture.config(seed: 6), data: data).train()
        XCTAssertEqual(a.modelFile, b.modelFile, "same seed, same settings, same thread count: same bytes")
        XCTAssertEqual(a.test.probabilities, b.test.probabilities)
        XCTAssertNotEqual(a.modelFile, c.modelFile)
    }

    func testDeterministicAtTwoThreadsToo() throws {
        let data = try TrainingFixture.data()
        var config = TrainingFixture.config(seed: 9)
        config.threads = 2
        let a = try MemberTrainer(config: config, data: data).train()
        let b = try MemberTrainer(config: config, data: data).train()
        XCTAssertEqual(a.modelFile, b.modelFile)
    }

    func testShortTrainingOnASubsetBeatsItsStatedAccuracy() throws {
        // 3,000 training images, 3 epochs of a small CNN: a working trainer gets well past 75 % on 1,000
        // test images (chance is 10 %); a broken gradient or optimizer does not.
        let data = try TrainingFixture.data()
        let outcome = try MemberTrainer(config: TrainingFixture.config(epochs: 3, augment: "none"), data: data).train()
        XCTAssertGreaterThan(outcome.test.accuracy, 0.75, "test accuracy \(outcome.test.accuracy)")
        XCTAssertEqual(outcome.history.count, 3)
        XCTAssertLessThan(outcome.history[2].trainLoss, outcome.history[0].trainLoss)
        XCTAssertNotNil(outcome.history[2].validationAccuracy)
        XCTAssertEqual(outcome.test.perClassAccuracy.count, 10)
        XCTAssertEqual(outcome.test.probabilities.count, 1000 * 10)
        // The serialised model answers exactly as the trained one.
        let (reloaded, meta) = try ModelFile.load(data: outcome.modelFile, path: "mem")
        let again = Evaluation.run(
            reloaded, on: data.test,
            normalization: Normalization(mean: meta.normalizationMean, std: meta.normalizationStd))
        XCTAssertEqual(again.probabilities, outcome.test.probabilities)
        XCTAssertTrue(meta.training.contains("\"seed\":1"))
    }

    func testABaggedMemberTrainsOnItsOwnSampleReproducibly() throws {
        let data = try TrainingFixture.data()
        var config = TrainingFixture.config(augment: "none", seed: 4)
        let plain = try MemberTrainer(config: config, data: data).train()
        config.sample = "subsample=0.5"
        let half = try MemberTrainer(config: config, data: data).train()
        XCTAssertEqual(try MemberTrainer(config: config, data: data).train().modelFile, half.modelFile)
        XCTAssertNotEqual(half.modelFile, plain.modelFile)
        XCTAssertLessThan(half.imagesPerSecond * half.trainSeconds, 0.6 * Double(data.train.count), "half the images")
        config.sample = "bootstrap"
        let bootstrap = try MemberTrainer(config: config, data: data).train()
        XCTAssertGreaterThan(bootstrap.test.accuracy, 0.5)
        XCTAssertTrue(bootstrap.metadata.training.contains("\"sample\":\"bootstrap\""))
    }

    func testImbalanceToolsTrainEndToEnd() throws {
        var config = TrainingFixture.config(model: "mlp", augment: "hflip,boost=1")
        config.imbalance = "0=0.1,1=0.1"
        config.classWeights = "balanced"
        config.sampling = .oversample
        let data = try PreparedData.load(for: config)
        let counts = data.train.classCounts()
        XCTAssertLessThan(counts[0], counts[2] / 5, "class 0 was cut to a tenth")
        let outcome = try MemberTrainer(config: config, data: data).train()
        XCTAssertTrue(outcome.history[0].trainLoss.isFinite)
        XCTAssertGreaterThan(outcome.test.accuracy, 0.5)
    }

    func testCancellationStopsBetweenBatches() throws {
        let data = try TrainingFixture.data()
        var batches = 0
        XCTAssertThrowsError(
            try MemberTrainer(config: TrainingFixture.config(), data: data).train(shouldStop: {
                batches += 1
                return batches > 3
            })
        ) { XCTAssertTrue("\($0)".contains("cancelled")) }
        XCTAssertEqual(batches, 4)
    }

    func testBadSettingsNameTheField() {
        var c = TrainingConfig()
        c.batchSize = 0
        XCTAssertThrowsError(try c.validate()) { XCTAssertTrue("\($0)".contains("batch_size")) }
        c = TrainingConfig()
        c.augment = "hflip,wobble=3"
        XCTAssertThrowsError(try c.validate()) { XCTAssertTrue("\($0)".contains("augment")) }
        c = TrainingConfig()
        c.imbalance = "x=2"
        XCTAssertThrowsError(try c.validate()) { XCTAssertTrue("\($0)".contains("imbalance")) }
    }

    func testConfigRoundTripsThroughJSON() throws {
        var c = TrainingFixture.config()
        c.optimizer = try OptimizerSettings(optimizer: "adam-sgd", switchEpoch: 2, sgdLearningRate: 0.05)
        let back = try JSONDecoder().decode(TrainingConfig.self, from: Data(c.jsonText.utf8))
        XCTAssertEqual(back, c)
    }
}
