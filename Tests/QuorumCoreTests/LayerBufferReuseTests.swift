import XCTest
@testable import QuorumCore

/// Layers keep one output/gradient buffer for the largest batch seen; a smaller batch afterwards must
/// give exactly what a fresh layer gives.
final class LayerBufferReuseTests: XCTestCase {
    private func layers() -> [Layer] {
        let conv = Conv2D(inputShape: [6, 6, 2], filters: 3, kernelSize: 3, stride: 2, padding: 1)
        let pointwise = Conv2D(inputShape: [6, 6, 2], filters: 3, kernelSize: 1, padding: 0)
        let dense = Dense(inFeatures: 72, outFeatures: 5)
        let bn = BatchNorm2D(inputShape: [6, 6, 2])
        let learned: [Layer] = [conv, pointwise, dense, bn]
        for (i, layer) in learned.enumerated() {
            GradientCheck.randomize(layer, seed: UInt64(i))
        }
        return [
            conv, pointwise, ReLU(inputShape: [6, 6, 2]), LeakyReLU(inputShape: [6, 6, 2]),
            ELU(inputShape: [6, 6, 2]), MaxPool2D(inputShape: [6, 6, 2], size: 2),
            MaxPool2D(inputShape: [6, 6, 2], size: 3, stride: 1), AvgPool2D(inputShape: [6, 6, 2], size: 2),
            GlobalAvgPool(inputShape: [6, 6, 2]), bn, Dropout(inputShape: [6, 6, 2], rate: 0.5),
            Flatten(inputShape: [6, 6, 2]), dense
        ]
    }

    /// Equal up to GEMM blocking, which may differ with the row count in some sgemm kernels.
    private func assertClose(_ a: [Float], _ b: [Float], _ what: String, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, what, line: line)
        for (x, y) in zip(a, b) where abs(x - y) > 1e-5 * max(1, abs(y)) {
            return XCTFail("\(what): \(x) after a larger batch, \(y) from a fresh layer", line: line)
        }
    }

    func testSmallerBatchAfterLargerMatchesFreshLayer() {
        let used = layers(), fresh = layers()
        let big = Tensor(shape: [5, 6, 6, 2], values: GradientCheck.normal(360, seed: 20))
        let small = Tensor(shape: [2, 6, 6, 2], values: GradientCheck.distinct(144, seed: 21))
        for (a, b) in zip(used, fresh) {
            let bigInput = a is Dense ? Tensor(shape: [5, 72], values: big.array) : big
            let smallInput = a is Dense ? Tensor(shape: [2, 72], values: small.array) : small
            let bigOut = a.forward(bigInput, training: false)
            _ = a.backward(
                Tensor(shape: bigOut.shape, values: GradientCheck.normal(bigOut.count, seed: 22)),
                needInputGradient: true)
            let ya = a.forward(smallInput, training: false).clone()
            let yb = b.forward(smallInput, training: false)
            XCTAssertEqual(ya.shape, yb.shape, a.spec)
            assertClose(ya.array, yb.array, a.spec)
            let dy = Tensor(shape: ya.shape, values: GradientCheck.normal(ya.count, seed: 23))
            let da = a.backward(dy, needInputGradient: true)!.clone()
            let db = b.backward(dy, needInputGradient: true)!
            XCTAssertEqual(da.shape, smallInput.shape, a.spec)
            assertClose(da.array, db.array, a.spec)
        }
    }
}
