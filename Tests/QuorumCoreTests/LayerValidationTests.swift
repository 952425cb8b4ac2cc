import XCTest
@testable import QuorumCore

/// A spec that puts a layer where it cannot go must give a message naming the layer and the shape.
final class LayerValidationTests: XCTestCase {
    private func message(_ body: () throws -> Void) -> String? {
        do { try body() } catch { return "\(error)" }
        return nil
    }

    func testMisplacedLayersAreReported() {
        XCTAssertEqual(
            message { try Conv2D.validate(inputShape: [3136], filters: 32, kernelSize: 3, padding: 1) },
            "conv3x3(32): expected an [H, W, C] image input, got per-sample shape [3136] (place it before flatten)")
        XCTAssertEqual(
            message { try Dense.validate(inputShape: [7, 7, 64], outFeatures: 128) },
            "dense(128): expected a flat [F] input, got per-sample shape [7, 7, 64] (add flatten before it)")
        XCTAssertEqual(
            message { try MaxPool2D.validate(inputShape: [1, 1, 8], size: 2) },
            "maxpool2: a 2x2 window does not fit the input of shape [1, 1, 8]")
        XCTAssertEqual(
            message { try Conv2D.validate(inputShape: [2, 2, 1], filters: 4, kernelSize: 5, padding: 1) },
            "conv5x5(4): a 5x5 window does not fit the input of shape [2, 2, 1]")
        XCTAssertNotNil(message { try AvgPool2D.validate(inputShape: [10], size: 2) })
        XCTAssertNotNil(message { try GlobalAvgPool.validate(inputShape: [10]) })
        XCTAssertNotNil(message { try Dropout.validate(rate: 1) })
        XCTAssertNotNil(message { try BatchNorm2D.validate(inputShape: [4], momentum: 2) })
    }

    func testValidArgumentsPass() {
        XCTAssertNil(message { try Conv2D.validate(inputShape: [28, 28, 1], filters: 32, kernelSize: 3, padding: 1) })
        XCTAssertNil(message { try Dense.validate(inputShape: [3136], outFeatures: 128) })
        XCTAssertNil(message { try MaxPool2D.validate(inputShape: [28, 28, 32], size: 2) })
        XCTAssertNil(message { try BatchNorm2D.validate(inputShape: [128]) })
        XCTAssertNil(message { try Dropout.validate(rate: 0.25) })
    }

    func testLossSettingsAreReported() {
        XCTAssertEqual(
            message { try SoftmaxCrossEntropy.validate(classes: 10, classWeights: [1, 2]) },
            "loss: class weights: expected one weight per class (got 2 weights for 10 classes)")
        XCTAssertEqual(
            message { try SoftmaxCrossEntropy.validate(classes: 10, labelSmoothing: 1.5) },
            "loss: label smoothing must be in [0, 1], got 1.5")
        XCTAssertNotNil(message { try SoftmaxCrossEntropy.validate(classes: 2, classWeights: [1, -1]) })
        XCTAssertNil(
            message { try SoftmaxCrossEntropy.validate(classes: 2, classWeights: [1, 3], labelSmoothing: 0.1) })
    }
}
