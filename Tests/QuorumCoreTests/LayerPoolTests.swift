import XCTest
@testable import QuorumCore

final class LayerPoolTests: XCTestCase {
    func testMaxPoolPicksWindowMaximaAndRoutesGradients() {
        // One 4×4 single-channel image.
        let pool = MaxPool2D(inputShape: [4, 4, 1], size: 2)
        let x = Tensor(
            shape: [1, 4, 4, 1],
            values: [
                1, 5, 2, 0,
                3, 4, 8, 7,
                -1, -2, 6, 6,
                -3, -4, 6, 9
            ])
        let y = pool.forward(x, training: true)
        XCTAssertEqual(y.shape, [1, 2, 2, 1])
        XCTAssertEqual(y.array, [5, 8, -1, 9])
        let dx = pool.backward(Tensor(shape: [1, 2, 2, 1], values: [10, 20, 30, 40]), needInputGradient: true)!
        XCTAssertEqual(
            dx.array,
            [
                0, 10, 0, 0,
                0, 0, 20, 0,
                30, 0, 0, 0,
                0, 0, 0, 40
            ])
        XCTAssertEqual(pool.spec, "maxpool2")
        XCTAssertEqual(pool.outputShape, [2, 2, 1])
    }

    func testMaxPoolTiesGoToTheFirstElementPerChannel() {
        let pool = MaxPool2D(inputShape: [2, 2, 2], size: 2)
        // Channel 0 is all 1 (tie), channel 1 peaks at the last pixel.
        _ = pool.forward(Tensor(shape: [1, 2, 2, 2], values: [1, 0, 1, 1, 1, 2, 1, 3]), training: true)
        let dx = pool.backward(Tensor(shape: [1, 1, 1, 2], values: [1, 1]), needInputGradient: true)!
        XCTAssertEqual(dx.array, [1, 0, 0, 0, 0, 0, 0, 1])
    }

    func testMaxPoolOddSizesAndBatchChanges() {
        let pool = MaxPool2D(inputShape: [5, 5, 1], size: 3, stride: 2)
        XCTAssertEqual(pool.outputShape, [2, 2, 1])
        XCTAssertEqual(pool.spec, "maxpool3(stride=2)")
        let big = Tensor(shape: [3, 5, 5, 1], values: (0..<75).map(Float.init))
        XCTAssertEqual(pool.forward(big, training: false).array, [12, 14, 22, 24, 37, 39, 47, 49, 62, 64, 72, 74])
        let small = Tensor(shape: [1, 5, 5, 1], values: (0..<25).map { Float(-$0) })
        XCTAssertEqual(pool.forward(small, training: false).array, [0, -2, -10, -12])
    }

    func testAveragePools() {
        let avg = AvgPool2D(inputShape: [2, 4, 1], size: 2)
        let x = Tensor(shape: [1, 2, 4, 1], values: [1, 2, 3, 4, 5, 6, 7, 8])
        XCTAssertEqual(avg.forward(x, training: true).array, [3.5, 5.5])
        XCTAssertEqual(
            avg.backward(Tensor(shape: [1, 1, 2, 1], values: [4, 8]), needInputGradient: true)!.array,
            [1, 1, 2, 2, 1, 1, 2, 2])
        XCTAssertEqual(avg.spec, "avgpool2")

        let gap = GlobalAvgPool(inputShape: [2, 2, 2])
        let g = gap.forward(Tensor(shape: [1, 2, 2, 2], values: [1, 10, 2, 20, 3, 30, 4, 40]), training: true)
        XCTAssertEqual(g.shape, [1, 2])
        XCTAssertEqual(g.array, [2.5, 25])
        XCTAssertEqual(gap.outputShape, [2])
        XCTAssertEqual(
            gap.backward(Tensor(shape: [1, 2], values: [4, 8]), needInputGradient: true)!.array,
            [1, 2, 1, 2, 1, 2, 1, 2])
        XCTAssertEqual(gap.spec, "gap")
    }

    func testActivationValuesAndSpecs() {
        let x = Tensor(shape: [1, 4], values: [-2, -0.5, 0.5, 3])
        XCTAssertEqual(ReLU(inputShape: [4]).forward(x, training: true).array, [0, 0, 0.5, 3])
        XCTAssertEqual(LeakyReLU(inputShape: [4], slope: 0.1).forward(x, training: true).array, [-0.2, -0.05, 0.5, 3])
        let elu = ELU(inputShape: [4], alpha: 2).forward(x, training: true).array
        XCTAssertEqual(elu[0], 2 * (exp(-2) - 1), accuracy: 1e-6)
        XCTAssertEqual(elu[1], 2 * (exp(-0.5) - 1), accuracy: 1e-6)
        XCTAssertEqual(Array(elu[2...]), [0.5, 3])
        XCTAssertEqual(ReLU(inputShape: [4]).spec, "relu")
        XCTAssertEqual(LeakyReLU(inputShape: [4]).spec, "leakyrelu(0.01)")
        XCTAssertEqual(ELU(inputShape: [4]).spec, "elu(1.0)")
    }
}
