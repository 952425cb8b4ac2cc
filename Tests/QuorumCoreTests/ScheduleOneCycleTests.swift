import XCTest
@testable import QuorumCore

/// One-cycle: the rate at chosen points of the run, its text form and its checks.
final class ScheduleOneCycleTests: XCTestCase {
    private func rate(_ settings: ScheduleSettings, _ epoch: Double, base: Float = 0.01, total: Int = 10) -> Float {
        settings.rate(base: base, epoch: epoch, totalEpochs: total)
    }

    func testRatesAtChosenStepsFollowPyTorchsCosineOneCycle() throws {
        let s = try ScheduleSettings(parsing: "onecycle")
        XCTAssertEqual(s.kind, .oneCycle(peak: 0.3))
        let base: Float = 0.01, first = base / 25, last = first / 1e4
        XCTAssertEqual(rate(s, 0), first, accuracy: 1e-9, "starts at base/25")
        XCTAssertEqual(rate(s, 1.5), (first + base) / 2, accuracy: 1e-7, "half-way up at epoch 1.5 of 3")
        XCTAssertEqual(rate(s, 3), base, accuracy: 1e-9, "peaks at 30 % of the run")
        // Epoch 6.5 is half-way down (3 → 10): the mean of the peak and the last rate.
        XCTAssertEqual(rate(s, 6.5), (base + last) / 2, accuracy: 1e-7)
        // A quarter of the way down: last + (base − last)(1 + cos(π/4))/2.
        let quarter = Double(last) + Double(base - last) * (1 + cos(Double.pi / 4)) / 2
        XCTAssertEqual(Double(rate(s, 3 + 7.0 / 4)), quarter, accuracy: 1e-8)
        XCTAssertEqual(rate(s, 10), last, accuracy: 1e-12, "ends at about 0")
        XCTAssertLessThan(rate(s, 10), base * 1e-5)
        // Monotonic up, then down.
        let points = stride(from: 0.0, through: 10, by: 0.25).map { rate(s, $0) }
        let peak = points.firstIndex(of: points.max()!)!
        XCTAssertEqual(peak, 12)
        XCTAssertTrue(zip(points[..<peak], points[1...peak]).allSatisfy { $0 < $1 })
        XCTAssertTrue(zip(points[peak...], points[(peak + 1)...]).allSatisfy { $0 > $1 })
    }

    func testPeakShareIsAParameterAndTheTextRoundTrips() throws {
        let s = try ScheduleSettings(parsing: "onecycle:0.25")
        XCTAssertEqual(rate(s, 2.5), 0.01, accuracy: 1e-9)
        XCTAssertEqual(s.description, "onecycle:0.25")
        XCTAssertEqual(try ScheduleSettings(parsing: s.description), s)
        XCTAssertEqual(try ScheduleSettings(parsing: "onecycle").description, "onecycle")
        let optimizer = try OptimizerSettings(
            optimizer: "sgd", learningRate: 0.1, momentum: 0.9, nesterov: true,
            schedule: "onecycle")
        XCTAssertEqual(optimizer.rate(epoch: 3, totalEpochs: 10), 0.1, accuracy: 1e-8)
    }

    func testBadOneCycleSettingsNameTheProblem() {
        for (text, expected) in [
            ("onecycle:0", "strictly between 0 and 1"), ("onecycle:1.5", "strictly between"),
            ("onecycle:x", "after `onecycle:`"), ("onecycle:0.3:2", "`onecycle:PEAK_SHARE`")
        ] {
            XCTAssertThrowsError(try ScheduleSettings(parsing: text), text) {
                XCTAssertTrue("\($0)".contains(expected), "\(text): \($0)")
            }
        }
        XCTAssertThrowsError(try ScheduleSettings(parsing: "onecycle", warmupEpochs: 1)) {
            XCTAssertTrue("\($0)".contains("warmupEpochs") && "\($0)".contains("onecycle"), "\($0)")
        }
    }
}
