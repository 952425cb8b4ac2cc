import XCTest
@testable import QuorumTraining
import QuorumData
import QuorumCore

/// The accuracy levers in a real training run: `--ema`, `--tta`, `--init`, one-cycle.
final class AccuracyLeverTests: XCTestCase {
    private func leveredConfig(threads: Int = 1) -> TrainingConfig {
        var c = TrainingFixture.config(model: "conv3x3(8) batchnorm relu maxpool2 flatten dense(10)", seed: 4)
        c.ema = 0.99
        c.testTimeAugmentation = .flip
        c.initialization = .pytorch
        c.optimizer.schedule = ScheduleSettings(kind: .oneCycle(peak: 0.3))
        c.threads = threads
        return c
    }

    func testSameSeedGivesByteIdenticalModelsWithEMAAndTTAAtOneThreadAndAtTwo() throws {
        // The average and the views are computed on one thread in a fixed order, so they add no dependence
        // on timing: two runs at the same thread count give the same bytes, at 1 thread and at 2.
        let data = try TrainingFixture.data()
        for threads in [1, 2] {
            let a = try MemberTrainer(config: leveredConfig(threads: threads), data: data).train()
            let b = try MemberTrainer(config: leveredConfig(threads: threads), data: data).train()
            XCTAssertTrue(a.modelFile == b.modelFile, "\(threads) thread(s): model files differ")
            XCTAssertTrue(a.test.probabilities == b.test.probabilities, "\(threads) thread(s): test answers differ")
            XCTAssertTrue(a.validation?.probabilities == b.validation?.probabilities, "\(threads) thread(s)")
        }
    }

    func testSavedModelIsTheAverageAndTestPredictionsUseTheMirror() throws {
        let data = try TrainingFixture.data()
        var plainConfig = leveredConfig()
        plainConfig.ema = nil
        plainConfig.testTimeAugmentation = nil
        let levered = try MemberTrainer(config: leveredConfig(), data: data).train()
        let plain = try MemberTrainer(config: plainConfig, data: data).train()
        XCTAssertNotEqual(
            levered.model.parameters.map(\.value.array), plain.model.parameters.map(\.value.array),
            "the saved weights are the moving average, not the last step's")
        // The saved file answers as the run reported: the model in it, scored with the mirror.
        let (reloaded, meta) = try ModelFile.load(data: levered.modelFile, path: "levered")
        let norm = Normalization(mean: meta.normalizationMean, std: meta.normalizationStd)
        let flipped = Evaluation.run(reloaded, on: data.test, normalization: norm, testTimeAugmentation: .flip)
        XCTAssertEqual(flipped.probabilities, levered.test.probabilities)
        let alone = Evaluation.run(reloaded, on: data.test, normalization: norm)
        let mirrored = Evaluation.run(reloaded, on: data.test.mirrored(), normalization: norm)
        for i in stride(from: 0, to: levered.test.probabilities.count, by: 997) {
            let mean = (alone.probabilities[i] + mirrored.probabilities[i]) / 2
            XCTAssertEqual(levered.test.probabilities[i], mean, accuracy: 1e-6)
        }
        XCTAssertTrue(meta.training.contains("\"ema\":0.99"), meta.training)
        XCTAssertTrue(meta.training.contains("\"testTimeAugmentation\":\"flip\""), meta.training)
        XCTAssertTrue(meta.training.contains("\"initialization\":\"pytorch\""), meta.training)
    }

    func testDefaultsLeaveTheConfigTextAsBeforeAndBadDecaysAreNamed() throws {
        let text = TrainingFixture.config().jsonText
        for key in ["ema", "testTimeAugmentation", "initialization"] { XCTAssertFalse(text.contains(key), text) }
        XCTAssertEqual(try JSONDecoder().decode(TrainingConfig.self, from: Data(text.utf8)), TrainingFixture.config())
        for decay: Float in [0, 1, -0.5, .nan] {
            var c = TrainingFixture.config()
            c.ema = decay
            XCTAssertThrowsError(try c.validate(), "\(decay)") { XCTAssertTrue("\($0)".contains("ema"), "\($0)") }
        }
    }
}

private extension Dataset {
    /// The same images mirrored left–right (for checking test-time augmentation by hand).
    func mirrored() -> Dataset {
        let (h, w, c) = (imageShape[0], imageShape[1], imageShape[2])
        var pixels = self.pixels
        for image in 0..<count {
            for y in 0..<h {
                for x in 0..<w {
                    for k in 0..<c {
                        let row = (image * h + y) * w
                        pixels[(row + x) * c + k] = self.pixels[(row + w - 1 - x) * c + k]
                    }
                }
            }
        }
        return Dataset(name: name, imageShape: imageShape, pixels: pixels, labels: labels, classNames: classNames)
    }
}
