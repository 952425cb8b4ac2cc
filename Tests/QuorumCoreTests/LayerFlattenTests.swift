import XCTest
@testable import QuorumCore

final class LayerFlattenTests: XCTestCase {
    func testFlattenUsesChannelMajorOrder() {
        // One 2×2 image with 3 channels; in NHWC the value at (h, w, c) is (h·2 + w)·3 + c.
        let flatten = Flatten(inputShape: [2, 2, 3])
        let x = Tensor(shape: [1, 2, 2, 3], values: (0..<12).map(Float.init))
        let y = flatten.forward(x, training: true)
        XCTAssertEqual(y.shape, [1, 12])
        // CHW: channel 0's four pixels, then channel 1's, then channel 2's.
        XCTAssertEqual(y.array, [0, 3, 6, 9, 1, 4, 7, 10, 2, 5, 8, 11])
        let back = flatten.backward(y, needInputGradient: true)!
        XCTAssertEqual(back.shape, [1, 2, 2, 3])
        XCTAssertEqual(back.array, x.array)
        XCTAssertEqual(flatten.outputShape, [12])
        XCTAssertEqual(flatten.spec, "flatten")
    }

    func testBatchesAndPlainCopies() {
        let flatten = Flatten(inputShape: [1, 2, 2])
        let x = Tensor(shape: [2, 1, 2, 2], values: [1, 2, 3, 4, 5, 6, 7, 8])
        XCTAssertEqual(flatten.forward(x, training: false).array, [1, 3, 2, 4, 5, 7, 6, 8])
        let singleChannel = Flatten(inputShape: [2, 2, 1])
        XCTAssertEqual(
            singleChannel.forward(Tensor(shape: [1, 2, 2, 1], values: [1, 2, 3, 4]), training: false).array,
            [1, 2, 3, 4])
    }
}
