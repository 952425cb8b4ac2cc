import QuorumCore
import QuorumEnsemble
import QuorumRun
import QuorumTraining
import XCTest

/// The report's overview from the members' training settings: one value when they share it, every value when
/// they differ, as a plan with `--vary` makes them.
final class ReportOverviewTests: XCTestCase {
    func testSharedSettingsReadOnceAndVaryingOnesListEveryValue() throws {
        var a = TrainingConfig()
        a.model = "cnn-c"
        a.batchSize = 128
        a.epochs = 12
        a.optimizer = OptimizerSettings(kind: .adamw)
        a.optimizer.weightDecay = 0.05
        a.optimizer.schedule = try ScheduleSettings(parsing: "cosine", warmupEpochs: 1)
        var b = a
        b.optimizer.learningRate = a.optimizer.learningRate * 2
        b.seed = 2
        let overview = ReportOverview(configs: [a, b, a], wallSeconds: 75)
        XCTAssertEqual(overview.dataSet, "fashion-mnist")
        XCTAssertEqual(overview.model, "cnn-c")
        XCTAssertEqual(overview.batchSize, "128")
        XCTAssertEqual(overview.epochs, "12")
        XCTAssertEqual(overview.optimizer, "adamw, weight decay 0.05")
        XCTAssertEqual(overview.schedule, "cosine, 1.0 warm-up epochs")
        XCTAssertEqual(
            overview.learningRate, "varies: \(a.optimizer.learningRate), \(b.optimizer.learningRate)",
            "first-seen order, each value once")
        XCTAssertEqual(overview.wallSeconds, 75)
    }
}
