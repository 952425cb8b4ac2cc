import XCTest
@testable import QuorumCore

final class LayerDenseTests: XCTestCase {
    func testForwardUsesPytorchLayout() {
        let dense = Dense(inFeatures: 3, outFeatures: 2)
        // W = [[1, 2, 3], [-1, 0, 1]] in [out, in] order, b = [0.5, -0.5].
        dense.weight.value.copy(from: Tensor(shape: [2, 3], values: [1, 2, 3, -1, 0, 1]))
        dense.bias.value.copy(from: Tensor(shape: [2], values: [0.5, -0.5]))
        let y = dense.forward(Tensor(shape: [2, 3], values: [1, 1, 1, 2, 0, -1]), training: false)
        XCTAssertEqual(y.shape, [2, 2])
        XCTAssertEqual(y.array, [6.5, -0.5, -0.5, -3.5])
        // A smaller batch afterwards reuses the buffer and still gives the right rows.
        XCTAssertEqual(dense.forward(Tensor(shape: [1, 3], values: [0, 1, 0]), training: false).array, [2.5, -0.5])
        XCTAssertEqual(dense.spec, "dense(2)")
        XCTAssertEqual(dense.forwardFLOPs, 12)
        XCTAssertEqual(Dense(inputShape: [3136], outFeatures: 128).inFeatures, 3136)
    }
}
