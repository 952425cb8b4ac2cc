import QuorumCore
import QuorumData
import XCTest

@testable import QuorumTraining

/// Snapshot ensembles and FGE: one job yields K members along a cyclic learning-rate schedule.
final class SnapshotTrainingTests: XCTestCase {
    private func config(_ snapshots: SnapshotSettings, epochs: Int) -> TrainingConfig {
        var config = TrainingFixture.config(epochs: epochs, augment: "none", seed: 3)
        config.optimizer = OptimizerSettings(kind: .adam, schedule: ScheduleSettings(kind: .cosine(minimum: 0)))
        config.snapshots = snapshots
        return config
    }

    func testCosineSnapshotsAreMembersAndARerunGivesTheSameBytes() throws {
        let data = try TrainingFixture.data()
        let settings = config(SnapshotSettings(count: 3), epochs: 3)
        let outcome = try MemberTrainer(config: settings, data: data).train()
        XCTAssertEqual(outcome.snapshots.map(\.cycle), [1, 2])
        XCTAssertEqual(outcome.snapshots.map(\.history.count), [1, 2], "a cycle of one epoch each")
        XCTAssertEqual(outcome.history.count, 3)
        // Each cycle restarts the schedule: its last epoch ends near the minimum, the next starts high again.
        XCTAssertLessThan(outcome.history[0].learningRate, 1e-4)
        let files = outcome.snapshots.map(\.modelFile) + [outcome.modelFile]
        XCTAssertEqual(Set(files).count, 3, "every snapshot is a network of its own")
        for snapshot in outcome.snapshots {
            // An ordinary model file whose answers are the snapshot's stored test predictions.
            let (model, meta) = try ModelFile.load(data: snapshot.modelFile, path: "snapshot \(snapshot.cycle)")
            let again = Evaluation.run(
                model, on: data.test,
                normalization: Normalization(mean: meta.normalizationMean, std: meta.normalizationStd))
            XCTAssertEqual(again.probabilities, snapshot.test.probabilities)
            XCTAssertGreaterThan(snapshot.test.accuracy, 0.5, "cycle \(snapshot.cycle)")
            XCTAssertNotNil(snapshot.validation)
        }
        let rerun = try MemberTrainer(config: settings, data: data).train()
        XCTAssertEqual(rerun.snapshots.map(\.modelFile) + [rerun.modelFile], files, "a re-run job: the same bytes")
    }

    func testFGETrainsTheNormalRunThenShortCyclesAtALowRate() throws {
        let data = try TrainingFixture.data()
        let settings = config(SnapshotSettings(count: 2, style: .fge, cycleEpochs: 1), epochs: 1)
        let outcome = try MemberTrainer(config: settings, data: data).train()
        XCTAssertEqual(outcome.history.count, 3, "1 normal epoch and 2 cycles of 1")
        XCTAssertEqual(outcome.snapshots.map(\.history.count), [2])
        let base = settings.optimizer.learningRate
        for epoch in outcome.history.dropFirst() {
            XCTAssertEqual(epoch.learningRate, Double(base * SnapshotSettings.fgeEndShare), accuracy: 1e-9)
        }
        XCTAssertNotEqual(outcome.snapshots[0].modelFile, outcome.modelFile)
    }

    func testBadSnapshotSettingsNameTheField() {
        var bad = config(SnapshotSettings(count: 3), epochs: 4)
        XCTAssertThrowsError(try bad.validate()) { XCTAssertTrue("\($0)".contains("snapshots.count"), "\($0)") }
        bad = config(SnapshotSettings(count: 1), epochs: 4)
        XCTAssertThrowsError(try bad.validate()) { XCTAssertTrue("\($0)".contains("snapshots.count"), "\($0)") }
        bad = config(SnapshotSettings(count: 2, style: .fge), epochs: 4)
        XCTAssertThrowsError(try bad.validate()) { XCTAssertTrue("\($0)".contains("cycle_epochs"), "\($0)") }
        bad = config(SnapshotSettings(count: 2), epochs: 4)
        bad.prune = PruneSettings(ratio: 0.5)
        XCTAssertThrowsError(try bad.validate()) { XCTAssertTrue("\($0)".contains("prune"), "\($0)") }
    }
}
