import XCTest
@testable import QuorumEnsemble

final class MetricsTests: XCTestCase {
    func testAccuracyConfusionAndPerClass() {
        let labels: [Int32] = [0, 0, 1, 1, 1, 2]
        let predictions: [Int32] = [0, 1, 1, 1, 0, 2]
        XCTAssertEqual(EnsembleMetrics.accuracy(predictions, labels: labels), 4.0 / 6, accuracy: 1e-12)
        XCTAssertEqual(
            EnsembleMetrics.confusionMatrix(predictions, labels: labels, classes: 4),
            [[1, 1, 0, 0], [1, 2, 0, 0], [0, 0, 1, 0], [0, 0, 0, 0]])
        let perClass = EnsembleMetrics.perClassAccuracy(predictions, labels: labels, classes: 4)
        XCTAssertEqual(perClass[0], 0.5)
        XCTAssertEqual(perClass[1]!, 2.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(perClass[2], 1)
        XCTAssertNil(perClass[3], "a class without samples has no accuracy")
    }

    func testOracleCountsSamplesSomeMemberGetsRight() throws {
        // Labels 0,1,2,0. a right on 0,1; b right on 1; c right on none but sample 3 → oracle 3/4.
        let labels: [Int32] = [0, 1, 2, 0]
        let a = try member("a", [[0.9, 0.1, 0], [0, 1, 0], [1, 0, 0], [0, 1, 0]])
        let b = try member("b", [[0, 1, 0], [0, 1, 0], [1, 0, 0], [0, 0, 1]])
        let c = try member("c", [[0, 0, 1], [1, 0, 0], [0, 1, 0], [1, 0, 0]])
        XCTAssertEqual(EnsembleMetrics.oracleAccuracy([a, b, c], labels: labels), 0.75)
        XCTAssertEqual(EnsembleMetrics.memberAccuracies([a, b, c], labels: labels), [0.5, 0.25, 0.25])
    }

    func testDisagreementMatrixAndMean() throws {
        // Top answers: a = 0,1,0,1; b = 0,1,1,1; c = 1,0,1,1.
        let a = try member("a", [[1, 0], [0, 1], [1, 0], [0, 1]])
        let b = try member("b", [[1, 0], [0, 1], [0, 1], [0, 1]])
        let c = try member("c", [[0, 1], [1, 0], [0, 1], [0, 1]])
        let matrix = EnsembleMetrics.disagreementMatrix([a, b, c])
        XCTAssertEqual(matrix, [[0, 0.25, 0.75], [0.25, 0, 0.5], [0.75, 0.5, 0]])
        XCTAssertEqual(EnsembleMetrics.meanDisagreement(matrix), 0.5, accuracy: 1e-12)
        XCTAssertEqual(EnsembleMetrics.meanDisagreement([[0]]), 0)
    }

    func testAccuracySummaryAndGain() {
        let summary = AccuracySummary([0.90, 0.94, 0.92])
        XCTAssertEqual(summary.mean, 0.92, accuracy: 1e-12)
        XCTAssertEqual(summary.std, 0.02, accuracy: 1e-12, "sample standard deviation")
        XCTAssertEqual(summary.bestIndex, 1)
        XCTAssertEqual(summary.best, 0.94)
        XCTAssertEqual(AccuracySummary([0.8]).std, 0)
        XCTAssertEqual(EnsembleMetrics.gain(0.9260, over: 0.9152), 1.08, accuracy: 1e-9)
        XCTAssertEqual(EnsembleMetrics.gain(0.9100, over: 0.9173), -0.73, accuracy: 1e-9)
    }

    func testCombinationsAndCappedBinomial() {
        XCTAssertEqual(EnsembleMetrics.combinations(4, 2), [[0, 1], [0, 2], [0, 3], [1, 2], [1, 3], [2, 3]])
        XCTAssertEqual(EnsembleMetrics.combinations(3, 3), [[0, 1, 2]])
        XCTAssertEqual(EnsembleMetrics.binomial(10, 3, cap: 1000), 120)
        XCTAssertEqual(EnsembleMetrics.binomial(60, 30, cap: 50), 51, "stops at the cap instead of overflowing")
    }
}
