import XCTest
@testable import QuorumCore

final class LayerDropoutTests: XCTestCase {
    func testEvaluationIsTheIdentity() {
        let dropout = Dropout(inputShape: [5], rate: 0.5)
        let x = Tensor(shape: [2, 5], values: GradientCheck.normal(10, seed: 1))
        XCTAssertEqual(dropout.forward(x, training: false).array, x.array)
        XCTAssertEqual(dropout.backward(x, needInputGradient: true)!.array, x.array)
        XCTAssertEqual(dropout.spec, "dropout(0.5)")
    }

    func testTrainingDropsAtTheRateAndPreservesTheMean() {
        let dropout = Dropout(inputShape: [1000], rate: 0.25)
        dropout.generator = SeededGenerator(seed: 3, purpose: "dropout")
        let x = Tensor(shape: [100, 1000])
        x.fill(1)
        let y = dropout.forward(x, training: true).array
        let zeros = y.filter { $0 == 0 }.count
        XCTAssertEqual(Double(zeros) / Double(y.count), 0.25, accuracy: 0.01)
        XCTAssertTrue(y.allSatisfy { $0 == 0 || abs($0 - 4.0 / 3.0) < 1e-6 })
        XCTAssertEqual(y.reduce(0, +) / Float(y.count), 1, accuracy: 0.01)
        // The gradient goes through the same mask.
        let g = dropout.backward(x, needInputGradient: true)!.array
        XCTAssertEqual(g, y)
    }

    func testMasksFollowTheSeed() {
        let a = Dropout(inputShape: [64], rate: 0.5), b = Dropout(inputShape: [64], rate: 0.5)
        a.generator = SeededGenerator(seed: 9)
        b.generator = SeededGenerator(seed: 9)
        let x = Tensor(shape: [4, 64])
        x.fill(1)
        let first = a.forward(x, training: true).array
        XCTAssertEqual(first, b.forward(x, training: true).array)
        XCTAssertNotEqual(first, a.forward(x, training: true).array, "each step draws a new mask")
    }
}
