import XCTest
@testable import QuorumCore

/// Learning-rate schedules with warm-up: rates at chosen epochs, text forms and their errors.
final class ScheduleTests: XCTestCase {
    func testConstantKeepsTheBaseRate() {
        let s = ScheduleSettings()
        for epoch in [0.0, 0.5, 3, 10] { XCTAssertEqual(s.rate(base: 0.1, epoch: epoch, totalEpochs: 10), 0.1) }
    }

    func testWarmUpRisesLinearlyToTheBaseRate() {
        let s = ScheduleSettings(kind: .constant, warmupEpochs: 2)
        XCTAssertEqual(s.rate(base: 0.1, epoch: 0, totalEpochs: 10), 0)
        // 0.1 · 0.01/2: the first batch of 100 gets a small rate, not 0
        XCTAssertEqual(s.rate(base: 0.1, epoch: 0.01, totalEpochs: 10), 0.0005, accuracy: 1e-9)
        XCTAssertEqual(s.rate(base: 0.1, epoch: 0.5, totalEpochs: 10), 0.025, accuracy: 1e-8)
        XCTAssertEqual(s.rate(base: 0.1, epoch: 1, totalEpochs: 10), 0.05, accuracy: 1e-8)
        XCTAssertEqual(s.rate(base: 0.1, epoch: 2, totalEpochs: 10), 0.1)
        XCTAssertEqual(s.rate(base: 0.1, epoch: 7, totalEpochs: 10), 0.1)
    }

    func testStepDecaysAtEveryPeriodFromEpochZero() {
        let s = ScheduleSettings(kind: .step(every: 5, gamma: 0.5))
        XCTAssertEqual(s.rate(base: 0.1, epoch: 0, totalEpochs: 20), 0.1)
        XCTAssertEqual(s.rate(base: 0.1, epoch: 4.99, totalEpochs: 20), 0.1)
        XCTAssertEqual(s.rate(base: 0.1, epoch: 5, totalEpochs: 20), 0.05, accuracy: 1e-9)
        XCTAssertEqual(s.rate(base: 0.1, epoch: 9.5, totalEpochs: 20), 0.05, accuracy: 1e-9)
        XCTAssertEqual(s.rate(base: 0.1, epoch: 10, totalEpochs: 20), 0.025, accuracy: 1e-9)
        XCTAssertEqual(s.rate(base: 0.1, epoch: 19.9, totalEpochs: 20), 0.0125, accuracy: 1e-9)
    }

    func testStepWithWarmUpRampsTowardsTheScheduledRate() {
        let s = ScheduleSettings(kind: .step(every: 2, gamma: 0.5), warmupEpochs: 1)
        XCTAssertEqual(s.rate(base: 0.1, epoch: 0.5, totalEpochs: 6), 0.05, accuracy: 1e-9)
        XCTAssertEqual(s.rate(base: 0.1, epoch: 1, totalEpochs: 6), 0.1)
        XCTAssertEqual(s.rate(base: 0.1, epoch: 2, totalEpochs: 6), 0.05, accuracy: 1e-9)
    }

    func testCosineRunsFromTheBaseToTheMinimum() {
        let s = ScheduleSettings(kind: .cosine(minimum: 0.001))
        XCTAssertEqual(s.rate(base: 0.1, epoch: 0, totalEpochs: 10), 0.1, accuracy: 1e-8)
        // halfway: (0.1 + 0.001)/2
        XCTAssertEqual(s.rate(base: 0.1, epoch: 5, totalEpochs: 10), 0.0505, accuracy: 1e-8)
        // a quarter: 0.001 + 0.099·(1 + cos(π/4))/2 = 0.001 + 0.099·0.8535534
        XCTAssertEqual(s.rate(base: 0.1, epoch: 2.5, totalEpochs: 10), 0.0855018, accuracy: 1e-7)
        XCTAssertEqual(s.rate(base: 0.1, epoch: 10, totalEpochs: 10), 0.001, accuracy: 1e-9)
        XCTAssertEqual(s.rate(base: 0.1, epoch: 12, totalEpochs: 10), 0.001, accuracy: 1e-9)
    }

    func testCosineAfterWarmUpAnnealsOverTheRemainingEpochs() {
        let s = ScheduleSettings(kind: .cosine(minimum: 0), warmupEpochs: 2)
        XCTAssertEqual(s.rate(base: 0.1, epoch: 1, totalEpochs: 12), 0.05, accuracy: 1e-8)
        XCTAssertEqual(s.rate(base: 0.1, epoch: 2, totalEpochs: 12), 0.1, accuracy: 1e-8)
        // halfway through epochs 2…12
        XCTAssertEqual(s.rate(base: 0.1, epoch: 7, totalEpochs: 12), 0.05, accuracy: 1e-8)
        XCTAssertEqual(s.rate(base: 0.1, epoch: 12, totalEpochs: 12), 0, accuracy: 1e-9)
    }

    func testTextFormsParseAndPrintBack() throws {
        XCTAssertEqual(try LearningRateSchedule(parsing: "constant"), .constant)
        XCTAssertEqual(try LearningRateSchedule(parsing: "step:5:0.5"), .step(every: 5, gamma: 0.5))
        XCTAssertEqual(try LearningRateSchedule(parsing: "cosine"), .cosine(minimum: 0))
        XCTAssertEqual(try LearningRateSchedule(parsing: "Cosine:1e-5"), .cosine(minimum: 1e-5))
        for text in ["constant", "step:5:0.5", "cosine", "cosine:1e-05"] {
            XCTAssertEqual(try LearningRateSchedule(parsing: text).description, text)
        }
        let settings = try ScheduleSettings(parsing: "step:3:0.1", warmupEpochs: 1)
        XCTAssertEqual(settings, ScheduleSettings(kind: .step(every: 3, gamma: 0.1), warmupEpochs: 1))
        XCTAssertEqual(settings.description, "step:3:0.1 warmup=1.0")
    }

    func testBadTextNamesWhatWasExpected() {
        let cases: [(String, String)] = [
            ("linear", "one of `constant`"),
            ("step:5", "step:EPOCHS:GAMMA"),
            ("step:0:0.5", "epochs >= 1"),
            ("step:two:0.5", "got `two`"),
            ("step:5:abc", "got `abc`"),
            ("step:5:-1", "a factor > 0"),
            ("cosine:-1", "minimum rate >= 0"),
            ("cosine:1:2", "`cosine:MINIMUM`"),
            ("constant:1", "no arguments")
        ]
        for (text, expected) in cases {
            XCTAssertThrowsError(try LearningRateSchedule(parsing: text), text) { error in
                guard let e = error as? OptimizerSettingsError else { return XCTFail("\(error)") }
                XCTAssertEqual(e.field, "schedule")
                XCTAssertTrue(e.description.contains(expected), "\(text): \(e)")
                XCTAssertTrue(e.description.contains(text), "\(text): \(e)")
            }
        }
    }

    func testWarmUpMustBeANonNegativeNumberOfEpochs() {
        XCTAssertThrowsError(try ScheduleSettings(parsing: "constant", warmupEpochs: -1)) { error in
            XCTAssertEqual((error as? OptimizerSettingsError)?.field, "warmupEpochs")
        }
        XCTAssertThrowsError(try ScheduleSettings(parsing: "constant", warmupEpochs: .nan))
    }

    func testSettingsSurviveJSON() throws {
        for s in [
            ScheduleSettings(), ScheduleSettings(kind: .step(every: 5, gamma: 0.5), warmupEpochs: 0.5),
            ScheduleSettings(kind: .cosine(minimum: 1e-5), warmupEpochs: 1)
        ] {
            let data = try JSONEncoder().encode(s)
            XCTAssertEqual(try JSONDecoder().decode(ScheduleSettings.self, from: data), s)
        }
    }
}
