import XCTest
@testable import QuorumCore

/// Finite-difference gradient checks of every layer (see `GradientCheck` for the method and tolerance).
final class GradientCheckTests: XCTestCase {
    func testConv2DGeometries() {
        // (H, W, Cin, filters, kernel, stride, padding): padding 0/1/2, stride 1/2, Cin > 1, pointwise.
        let cases: [(Int, Int, Int, Int, Int, Int, Int)] = [
            (5, 5, 1, 2, 3, 1, 1), (6, 5, 3, 2, 3, 2, 0), (7, 7, 2, 3, 3, 2, 1), (5, 6, 2, 2, 3, 1, 2),
            (4, 4, 3, 2, 1, 1, 0), (4, 5, 2, 2, 1, 2, 0), (6, 6, 2, 2, 5, 2, 2), (5, 5, 6, 2, 3, 2, 1),
            (6, 5, 1, 2, 3, 2, 2)
        ]
        for (index, (h, w, c, f, k, s, p)) in cases.enumerated() {
            let conv = Conv2D(inputShape: [h, w, c], filters: f, kernelSize: k, stride: s, padding: p)
            GradientCheck.randomize(conv, seed: UInt64(index))
            GradientCheck.check(conv, batch: 2, input: GradientCheck.normal(2 * h * w * c, seed: UInt64(10 + index)))
        }
    }

    func testDense() {
        let dense = Dense(inFeatures: 7, outFeatures: 4)
        GradientCheck.randomize(dense, seed: 1)
        GradientCheck.check(dense, batch: 3, input: GradientCheck.normal(21, seed: 2))
    }

    func testActivations() {
        let shape = [3, 2, 2]
        let input = GradientCheck.awayFromZero(2 * 12, seed: 3)
        GradientCheck.check(ReLU(inputShape: shape), batch: 2, input: input)
        GradientCheck.check(LeakyReLU(inputShape: shape, slope: 0.1), batch: 2, input: input)
        GradientCheck.check(ELU(inputShape: shape, alpha: 1.5), batch: 2, input: input)
        GradientCheck.check(ELU(inputShape: [12]), batch: 2, input: input)
    }

    func testPools() {
        let shape = [5, 6, 2]
        let input = GradientCheck.distinct(2 * 60, seed: 4)
        GradientCheck.check(MaxPool2D(inputShape: shape, size: 2), batch: 2, input: input)
        GradientCheck.check(MaxPool2D(inputShape: shape, size: 3, stride: 2), batch: 2, input: input)
        GradientCheck.check(AvgPool2D(inputShape: shape, size: 2), batch: 2, input: input)
        GradientCheck.check(AvgPool2D(inputShape: shape, size: 3, stride: 1), batch: 2, input: input)
        GradientCheck.check(GlobalAvgPool(inputShape: shape), batch: 2, input: input)
    }

    func testBatchNormTrainingAndEvaluation() {
        let image = BatchNorm2D(inputShape: [3, 2, 3])
        GradientCheck.randomize(image, seed: 5)
        GradientCheck.check(image, batch: 2, input: GradientCheck.normal(36, seed: 6))
        let flat = BatchNorm2D(inputShape: [4])
        GradientCheck.randomize(flat, seed: 7)
        GradientCheck.check(flat, batch: 5, input: GradientCheck.normal(20, seed: 8))
        // Evaluation mode: a fixed affine map through the running statistics (frozen normalisation).
        flat.runningMean.value.fill(0.3)
        flat.runningVar.value.fill(2)
        GradientCheck.check(flat, batch: 5, input: GradientCheck.normal(20, seed: 9), training: false)
    }

    func testDropoutWithAFixedMask() {
        let dropout = Dropout(inputShape: [4, 3], rate: 0.4)
        dropout.generator = SeededGenerator(seed: 11)
        let start = dropout.generator
        GradientCheck.check(
            dropout, batch: 3, input: GradientCheck.normal(36, seed: 12),
            beforeForward: { dropout.generator = start })
    }

    func testFlatten() {
        GradientCheck.check(Flatten(inputShape: [2, 3, 4]), batch: 2, input: GradientCheck.normal(48, seed: 13))
    }

    func testFrozenParametersAreNotAccumulated() {
        let dense = Dense(inFeatures: 3, outFeatures: 2)
        GradientCheck.randomize(dense, seed: 14)
        dense.weight.trainable = false
        let x = Tensor(shape: [2, 3], values: GradientCheck.normal(6, seed: 15))
        _ = dense.forward(x, training: true)
        _ = dense.backward(Tensor(shape: [2, 2], values: [1, 2, 3, 4]), needInputGradient: false)
        XCTAssertEqual(dense.weight.gradient.array, [0, 0, 0, 0, 0, 0])
        XCTAssertEqual(dense.bias.gradient.array, [4, 6])
    }

    func testBackwardAccumulatesAndCanSkipInputGradient() {
        let conv = Conv2D(inputShape: [4, 4, 2], filters: 3, kernelSize: 3, padding: 1)
        GradientCheck.randomize(conv, seed: 16)
        let x = Tensor(shape: [2, 4, 4, 2], values: GradientCheck.normal(64, seed: 17))
        let dy = Tensor(shape: [2, 4, 4, 3], values: GradientCheck.normal(96, seed: 18))
        _ = conv.forward(x, training: true)
        XCTAssertNil(conv.backward(dy, needInputGradient: false))
        let once = conv.weight.gradient.array, onceBias = conv.bias.gradient.array
        XCTAssertNotNil(conv.backward(dy, needInputGradient: true))
        for (a, b) in zip(conv.weight.gradient.array, once) {
            XCTAssertEqual(a, 2 * b, accuracy: 1e-4 * max(1, abs(b)))
        }
        for (a, b) in zip(conv.bias.gradient.array, onceBias) {
            XCTAssertEqual(a, 2 * b, accuracy: 1e-4 * max(1, abs(b)))
        }
    }
}
