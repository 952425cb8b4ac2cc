import XCTest
@testable import QuorumCore

final class LossSoftmaxCrossEntropyTests: XCTestCase {
    private let logits = Tensor(shape: [3, 3], values: [1, 2, 3, 1, 0, -1, 0.5, 0.5, -2])
    private let labels: [Int32] = [2, 0, 1]

    private func loss(_ ce: SoftmaxCrossEntropy, _ z: Tensor, _ y: [Int32]) -> Float {
        y.withUnsafeBufferPointer { ce.forward(logits: z, labels: $0) }
    }

    func testSingleSampleValueAndGradient() {
        let ce = SoftmaxCrossEntropy(classes: 3)
        // −log softmax([1, 2, 3])[2] = log(1 + e⁻¹ + e⁻²).
        XCTAssertEqual(loss(ce, Tensor(shape: [1, 3], values: [1, 2, 3]), [2]), 0.40760596, accuracy: 1e-6)
        // softmax − one-hot.
        let g = ce.gradient.array
        XCTAssertEqual(g[0], 0.09003057, accuracy: 1e-6)
        XCTAssertEqual(g[1], 0.24472847, accuracy: 1e-6)
        XCTAssertEqual(g[2], -0.33475904, accuracy: 1e-6)

        let smoothed = SoftmaxCrossEntropy(classes: 3, labelSmoothing: 0.1)
        _ = loss(smoothed, Tensor(shape: [1, 3], values: [1, 2, 3]), [2])
        // softmax − (0.9·one-hot + 0.1/3).
        let s = smoothed.gradient.array
        XCTAssertEqual(s[0], 0.09003057 - 0.1 / 3, accuracy: 1e-6)
        XCTAssertEqual(s[1], 0.24472847 - 0.1 / 3, accuracy: 1e-6)
        XCTAssertEqual(s[2], 0.66524096 - 0.9 - 0.1 / 3, accuracy: 1e-6)
    }

    /// Reference values from −Σ_i Σ_c w_c·q_ic·log p_ic / Σ_i w_{y_i} with q = (1 − ε)·one-hot + ε/C,
    /// which is how PyTorch's `cross_entropy(weight=, label_smoothing=)` reduces with `mean`.
    func testBatchMeanWithClassWeightsAndSmoothing() {
        XCTAssertEqual(loss(SoftmaxCrossEntropy(classes: 3), logits, labels), 0.51619391, accuracy: 1e-6)
        XCTAssertEqual(
            loss(SoftmaxCrossEntropy(classes: 3, classWeights: [1, 2, 0.5]), logits, labels),
            0.59375672, accuracy: 1e-6)
        XCTAssertEqual(
            loss(SoftmaxCrossEntropy(classes: 3, labelSmoothing: 0.1), logits, labels),
            0.61063835, accuracy: 1e-6)
        XCTAssertEqual(
            loss(
                SoftmaxCrossEntropy(classes: 3, classWeights: [1, 2, 0.5], labelSmoothing: 0.1),
                logits, labels), 0.66457187, accuracy: 1e-6)
    }

    func testGradientMatchesFiniteDifferences() {
        for ce in [
            SoftmaxCrossEntropy(classes: 3), SoftmaxCrossEntropy(classes: 3, classWeights: [1, 2, 0.5]),
            SoftmaxCrossEntropy(classes: 3, classWeights: [0.3, 1, 4], labelSmoothing: 0.2)
        ] {
            let z = logits.clone()
            _ = loss(ce, z, labels)
            let analytic = ce.gradient.array
            let numeric: [Double] = (0..<z.count).map { i in
                let saved = z[i]
                z[i] = saved + 1e-2
                let plus = Double(loss(ce, z, labels))
                z[i] = saved - 1e-2
                let minus = Double(loss(ce, z, labels))
                z[i] = saved
                return (plus - minus) / 2e-2
            }
            XCTAssertLessThan(GradientCheck.relativeError(analytic, numeric), 1e-3)
        }
    }

    func testLargeLogitsStayFinite() {
        let ce = SoftmaxCrossEntropy(classes: 2)
        let value = loss(ce, Tensor(shape: [1, 2], values: [1000, 1001]), [0])
        XCTAssertEqual(value, 1.3132617, accuracy: 1e-5)  // log(1 + e)
        XCTAssertTrue(ce.gradient.array.allSatisfy(\.isFinite))

        let p = Tensor(shape: [0])
        softmax(Tensor(shape: [2, 2], values: [1000, 1001, -5, -5]), into: p)
        XCTAssertEqual(p.shape, [2, 2])
        XCTAssertEqual(p[0], 0.26894142, accuracy: 1e-6)
        XCTAssertEqual(p[1], 0.73105858, accuracy: 1e-6)
        XCTAssertEqual(p[2], 0.5, accuracy: 1e-6)
    }

    func testCorrectCountBreaksTiesTowardsTheLowestIndex() {
        let ce = SoftmaxCrossEntropy(classes: 3)
        let z = Tensor(shape: [4, 3], values: [1, 1, 0, 0, 2, 2, 5, 0, 1, 0, 0, 0])
        let correct = [Int32(0), 1, 0, 2].withUnsafeBufferPointer { ce.correctCount(logits: z, labels: $0) }
        XCTAssertEqual(correct, 3)  // the last row is a three-way tie, which answers class 0
    }
}
