import XCTest
import QuorumData
@testable import QuorumEnsemble

final class FittingDiagnosisTests: XCTestCase {
    /// Epochs from (train loss, train accuracy, validation loss, validation accuracy) tuples.
    private func history(_ rows: [(Double, Double, Double, Double)]) -> [EpochStats] {
        rows.enumerated().map {
            EpochStats(
                epoch: $0.offset + 1, trainLoss: $0.element.0, trainAccuracy: $0.element.1,
                validationLoss: $0.element.2, validationAccuracy: $0.element.3)
        }
    }

    func testRisingValidationLossWhileTrainingLossFallsIsOverfitting() {
        let d = FittingDiagnosis.diagnose(
            history([
                (0.60, 0.80, 0.40, 0.85), (0.40, 0.86, 0.35, 0.87), (0.30, 0.88, 0.36, 0.87),
                (0.25, 0.89, 0.38, 0.88), (0.24, 0.891, 0.37, 0.88)
            ]))
        XCTAssertEqual(d.verdict, .overfitting)
        XCTAssertTrue(d.reasons[0].contains("epochs 3 and 4"), d.reasons[0])
    }

    func testOneRiseIsNotEnough() {
        let d = FittingDiagnosis.diagnose(
            history([
                (0.60, 0.86, 0.40, 0.86), (0.40, 0.88, 0.35, 0.875), (0.30, 0.885, 0.36, 0.88),
                (0.25, 0.887, 0.34, 0.88)
            ]))
        XCTAssertEqual(d.verdict, .goodFit)
        XCTAssertEqual(d.reasons, [])
    }

    func testLargeFinalAccuracyGapIsOverfitting() {
        let d = FittingDiagnosis.diagnose(
            history([(0.5, 0.90, 0.5, 0.88), (0.3, 0.95, 0.45, 0.89), (0.2, 0.955, 0.44, 0.90)]))
        XCTAssertEqual(d.verdict, .overfitting)
        XCTAssertTrue(d.reasons.contains { $0.contains("5.50 points above") }, "\(d.reasons)")
    }

    func testStillRisingTrainingAccuracyIsUnderfitting() {
        let d = FittingDiagnosis.diagnose(
            history([(1.0, 0.60, 0.9, 0.62), (0.8, 0.66, 0.75, 0.67), (0.7, 0.70, 0.65, 0.71)]))
        XCTAssertEqual(d.verdict, .underfitting)
        XCTAssertTrue(d.reasons[0].contains("5.00 points per epoch"), d.reasons[0])
    }

    func testTrainingFarBelowValidationIsUnderfitting() {
        let d = FittingDiagnosis.diagnose(
            history([(0.6, 0.80, 0.3, 0.88), (0.58, 0.801, 0.29, 0.89), (0.57, 0.802, 0.28, 0.90)]))
        XCTAssertEqual(d.verdict, .underfitting)
        XCTAssertTrue(d.reasons.contains { $0.contains("below validation") }, "\(d.reasons)")
    }

    func testShortHistories() {
        XCTAssertEqual(FittingDiagnosis.diagnose([]).verdict, .tooShort)
        XCTAssertEqual(
            FittingDiagnosis.diagnose(history([(0.5, 0.85, 0.5, 0.85), (0.4, 0.87, 0.45, 0.86)])).verdict, .tooShort)
        XCTAssertEqual(
            FittingDiagnosis.diagnose(history([(0.1, 0.99, 0.5, 0.80)])).verdict, .overfitting,
            "the gap rule needs no trend")
    }

    func testRuleTextStatesThresholds() {
        XCTAssertTrue(FittingDiagnosis.ruleText.contains("two consecutive epochs"))
        XCTAssertTrue(FittingDiagnosis.ruleText.contains("more than 5 points"))
        XCTAssertTrue(FittingDiagnosis.ruleText.contains("0.5 points per epoch"))
    }
}
