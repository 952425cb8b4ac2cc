import XCTest
@testable import QuorumCore

final class LayerBatchNormTests: XCTestCase {
    private func assertClose(_ a: [Float], _ b: [Double], _ tolerance: Double = 1e-5,
                             file: StaticString = #filePath, line: UInt = #line) {
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
        assertClose(bn.forward(x, training: true).array,
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
}
