import XCTest
@testable import QuorumCore

final class LayerBatchNormTests: XCTestCase {
    private func assertClose(
        _ a: [Float], _ b: [Double], _ tolerance: Double = 1e-5,
        file: StaticString = #filePath, line: UInt = #line
    ) {
        XCTAssertEqual(a.count, b.count, file: file, line: line)
        for (x, y) in zip(a, b) { XCTAssertEqual(Double(x), y, accuracy: tolerance, file: file, line: line) }
    }

    /// Two 1×2 images with 2 channels: channel 0 holds 1, 2, 3, 4 (mean 2.5, biased variance 1.25,
    /// unbiased 5/3), channel 1 holds 10, 10, 14, 14 (mean 12, biased variance 4, unbiased 16/3).
    private let input: [Float] = [1, 10, 2, 10, 3, 14, 4, 14]

    func testTrainingNormalisesPerChannelAndUpdatesRunningStatisticsLikePytorch() {
        let bn = BatchNorm2D(inputShape: [1, 2, 2])
        XCTAssertEqual(bn.weight.value.array, [1, 1])
        XCTAssertEqual(bn.runningVar.value.array, [1, 1])
        bn.weight.value.copy(from: Tensor(shape: [2], values: [2, 0.5]))
        bn.bias.value.copy(from: Tensor(shape: [2], values: [1, -1]))
        let x = Tensor(shape: [2, 1, 2, 2], values: input)
        // y = γ·(x − mean)/√(var + 1e-5) + β with the batch's biased variance.
        assertClose(
            bn.forward(x, training: true).array,
            [-1.6832708, -1.4999994, 0.1055764, -1.4999994, 1.8944236, -0.5000006, 3.6832708, -0.5000006])
        // running = 0.9·running + 0.1·batch, with the unbiased variance.
        assertClose(bn.runningMean.value.array, [0.25, 1.2])
        assertClose(bn.runningVar.value.array, [1.0666667, 1.4333333])
        _ = bn.forward(x, training: true)
        assertClose(bn.runningMean.value.array, [0.475, 2.28])
        assertClose(bn.runningVar.value.array, [1.1266667, 1.8233333])

        // Evaluation uses the running statistics, whatever the batch holds, and leaves them alone.
        let y = bn.forward(Tensor(shape: [1, 1, 2, 2], values: [0, 12, 5, 8]), training: false)
        assertClose(y.array, [0.1049981, 2.5991674, 9.5260707, 1.1180285])
        assertClose(bn.runningMean.value.array, [0.475, 2.28])
    }

    func testBatchOfOneFlatSampleLeavesRunningStatisticsAlone() {
        let bn = BatchNorm2D(inputShape: [2])
        bn.bias.value.copy(from: Tensor(shape: [2], values: [0.5, -0.5]))
        let y = bn.forward(Tensor(shape: [1, 2], values: [3, 7]), training: true)
        XCTAssertEqual(y.array, [0.5, -0.5])  // x − mean is 0, so only β remains
        XCTAssertEqual(bn.runningMean.value.array, [0, 0])
        XCTAssertEqual(bn.runningVar.value.array, [1, 1])
        XCTAssertEqual(bn.backward(Tensor(shape: [1, 2], values: [1, 1]), needInputGradient: true)!.array, [0, 0])
    }

    func testFlatFeaturesAndNames() {
        let bn = BatchNorm2D(inputShape: [1])
        let y = bn.forward(Tensor(shape: [4, 1], values: [1, 2, 3, 4]), training: true)
        assertClose(y.array, [-1.3416354, -0.4472118, 0.4472118, 1.3416354])
        assertClose(bn.runningVar.value.array, [1.0666667])
        XCTAssertEqual(bn.parameters.map(\.name), ["weight", "bias"])
        XCTAssertEqual(bn.buffers.map(\.name), ["running_mean", "running_var"])
        XCTAssertTrue(bn.buffers.allSatisfy { !$0.trainable })
        XCTAssertEqual(bn.spec, "batchnorm")
    }

    /// One training step and one evaluation pass of a batch norm layer at `threads` threads, from fixed values:
    /// every output, gradient and running statistic, as bits.
    private func step(threads: Int) -> [[UInt32]] {
        ComputeThreads.set(threads)
        defer { ComputeThreads.set(1) }
        var random = SeededGenerator(seed: 11)
        func values(_ n: Int, _ scale: Float, _ offset: Float) -> [Float] {
            (0..<n).map { _ in Float.random(in: -scale...scale, using: &random) + offset }
        }
        let shape = [16, 8, 8, 48]
        let count = shape.reduce(1, *)
        let bn = BatchNorm2D(inputShape: Array(shape.dropFirst()))
        bn.weight.value.copy(from: Tensor(shape: [48], values: values(48, 0.5, 1)))
        bn.bias.value.copy(from: Tensor(shape: [48], values: values(48, 0.5, 0)))
        let x = Tensor(shape: shape, values: values(count, 3, 5))
        let dy = Tensor(shape: shape, values: values(count, 1, 0.1))
        let y = bn.forward(x, training: true).array
        let dx = bn.backward(dy, needInputGradient: true)?.array ?? []
        let evaluation = bn.forward(x, training: false).array
        let frozen = bn.backward(dy, needInputGradient: true)?.array ?? []
        return [
            y, dx, evaluation, frozen, bn.weight.gradient.array, bn.bias.gradient.array,
            bn.runningMean.value.array, bn.runningVar.value.array
        ].map { $0.map(\.bitPattern) }
    }

    func testOneAndTwoThreadsGiveTheSameBitsInTrainingAndEvaluation() {
        // A job may change its thread count between steps (idle-core sharing): batch norm must not notice.
        let one = step(threads: 1), two = step(threads: 2), three = step(threads: 3)
        let names = [
            "output", "input gradient", "evaluation output", "frozen input gradient", "weight gradient",
            "bias gradient", "running mean", "running variance"
        ]
        for (i, name) in names.enumerated() {
            XCTAssertFalse(one[i].isEmpty, name)
            XCTAssertEqual(one[i], two[i], "\(name) differs between 1 and 2 threads")
            XCTAssertEqual(one[i], three[i], "\(name) differs between 1 and 3 threads")
        }
    }
}
