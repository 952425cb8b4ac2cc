import XCTest
@testable import QuorumCore

/// `--ema`: the average after a few updates, against the formula worked by hand.
final class EMAWeightAverageTests: XCTestCase {
    private func parameter(_ values: [Float]) -> Parameter {
        let p = Parameter(name: "w", shape: [values.count], decays: true)
        for (i, v) in values.enumerated() { p.value.data[i] = v }
        return p
    }

    func testAverageMatchesAHandComputation() {
        let p = parameter([1, -2])
        let average = WeightAverage(tracking: [p], decay: 0.5)
        // Live values 1, 3, 7 (first element) at updates 1, 2, 3, with d = 0.5:
        // s1 = 0.5·1 = 0.5; s2 = 0.25 + 1.5 = 1.75; s3 = 0.875 + 3.5 = 4.375.
        // Corrected: s3 / (1 − 0.125) = 4.375 / 0.875 = 5 (= (1·1 + 2·3 + 4·7) / 7).
        // Second element −2, −2, 4: s3 = 0.125·(−2) + 0.25·(−2) + 0.5·4 = 1.25, corrected 1.25/0.875 = 10/7.
        for (a, b) in [(Float(1), Float(-2)), (3, -2), (7, 4)] {
            p.value.data[0] = a
            p.value.data[1] = b
            average.update()
        }
        XCTAssertEqual(average.updates, 3)
        XCTAssertEqual(average.correction, 1 / 0.875, accuracy: 1e-6)
        let out = Tensor(shape: [2])
        average.average(0, into: out)
        XCTAssertEqual(out.array[0], 5, accuracy: 1e-6)
        XCTAssertEqual(out.array[1], 10 / 7, accuracy: 1e-6)
    }

    func testWithAverageSwapsInAndRestoresAndCopyKeepsIt() {
        let p = parameter([2, 4])
        let average = WeightAverage(tracking: [p], decay: 0.9)
        average.withAverage { XCTAssertEqual(p.value.array, [2, 4], "before any update the live values stay") }
        average.update()
        p.value.data[0] = 12
        average.update()
        // s2 = 0.9·0.1·2 + 0.1·12 = 1.38; corrected by 1/(1 − 0.81) = 1.38/0.19.
        let expected: Float = 1.38 / 0.19
        let seen = average.withAverage { p.value.array }
        XCTAssertEqual(seen[0], expected, accuracy: 1e-5)
        XCTAssertEqual(seen[1], 4, accuracy: 1e-5, "a constant value averages to itself")
        XCTAssertEqual(p.value.array, [12, 4], "live values come back after withAverage")
        average.copyAverageIntoModel()
        XCTAssertEqual(p.value.array[0], expected, accuracy: 1e-5)
    }

    func testModelAverageTracksTrainableParametersAndBatchNormStatistics() throws {
        let spec = try ModelSpec(
            parsing: "conv3x3(4) batchnorm relu flatten dense(3)", inputShape: [4, 4, 1],
            classes: 3)
        let model = try Sequential(spec: spec, seed: 1)
        model.parameters[0].trainable = false
        let average = WeightAverage(model: model, decay: 0.99)
        let names = average.tracked.map(\.name)
        XCTAssertFalse(names.contains(model.parameters[0].name), "a frozen parameter never changes and is not tracked")
        XCTAssertTrue(names.contains { $0.hasSuffix("running_mean") }, "\(names)")
        XCTAssertTrue(names.contains { $0.hasSuffix("running_var") }, "\(names)")
        XCTAssertEqual(average.tracked.count, model.parameters.count - 1 + model.buffers.count)
    }
}
