import Foundation
import QuorumData
import QuorumEnsemble
import QuorumTraining
import XCTest
@testable import QuorumRun

/// `RunSummary`: a run directory's stored members voted and reported, with the members that never finished
/// named in `summary.json` and left out of `ensemble.json`.
final class RunSummaryTests: XCTestCase {
    private var fixture: RunFixture!

    override func setUpWithError() throws { fixture = try RunFixture("summary") }
    override func tearDown() { fixture.remove() }

    /// A 3-member run in which member-00 is always right, member-01 always answers class 0, and member-02 was
    /// given up.
    private func storedRun(sample: String? = nil, name: String = "run") throws -> (RunDirectory, RunPlan, PreparedData)
    {
        var base = fixture.base
        base.sample = sample
        let plan = try RunPlan.make(base: base, members: 3, augmentation: "none", runId: "summary")
        let directory = try RunDirectory(path: fixture.runPath(name))
        try directory.writePlan(plan)
        let data = try PreparedData.load(for: plan.members[0].config)
        let classes = fixture.classes, labels = data.test.labels
        let zeros = [Int32](repeating: 0, count: labels.count)
        for (job, answers) in [("member-00", labels), ("member-01", zeros)] {
            try directory.saveMember(
                jobId: job, modelFile: Data("model".utf8), history: [],
                probabilities: RunFixture.oneHot(answers, classes: classes), classes: classes,
                testAccuracy: 0, validationAccuracy: nil, trainSeconds: 1, imagesPerSecond: 1,
                worker: "w")
        }
        try directory.append(JournalEntry(event: .jobFailed, jobId: "member-02", message: "out of memory"))
        return (directory, plan, data)
    }

    func testStoredMembersAreVotedAndTheMissingOneIsNamed() throws {
        let (directory, plan, data) = try storedRun()
        let result = try RunSummary(directory: directory, plan: plan)
            .finish(data: data, command: "quorum local", wallSeconds: 5)
        XCTAssertEqual(result.members.map(\.jobId), ["member-00", "member-01"])
        XCTAssertEqual(result.comparison.members.map(\.name), ["member-00", "member-01"])
        let zeros = Double(data.test.labels.filter { $0 == 0 }.count) / Double(data.test.count)
        XCTAssertEqual(result.comparison.members.map(\.testAccuracy), [1, zeros])
        XCTAssertEqual(result.comparison.testCount, data.test.count)
        XCTAssertFalse(result.comparison.votes.isEmpty)
        XCTAssertEqual(result.reportPath, directory.url.appendingPathComponent("report.html").path)
        XCTAssertTrue(FileManager.default.fileExists(atPath: result.reportPath))

        let summary = try XCTUnwrap(
            JSONSerialization.jsonObject(
                with: Data(contentsOf: directory.url.appendingPathComponent("summary.json"))) as? [String: Any])
        XCTAssertEqual(summary["missing_members"] as? [String], ["member-02"])
        XCTAssertEqual(summary["failed_members"] as? [String: String], ["member-02": "out of memory"])
        XCTAssertEqual(summary["wall_seconds"] as? Double, 5)
        let curve = try XCTUnwrap(summary["size_curve"] as? [[String: Any]])
        XCTAssertEqual(curve.map { $0["size"] as? Int }, [1, 2])
        XCTAssertEqual(
            summary["size_curve_note"] as? String, "every point is the mean over every member subset of its size")

        let manifest = try EnsembleManifest.load(from: directory.url)
        XCTAssertEqual(manifest.members.map(\.name), ["member-00", "member-01"])
        XCTAssertEqual(manifest.members.map(\.seed), [plan.members[0].config.seed, plan.members[1].config.seed])
        XCTAssertEqual(
            manifest.classNames, (0..<fixture.classes).map(String.init),
            "an IDX folder names no classes: they are numbered")
        XCTAssertEqual(
            manifest.normalisation,
            Normalization(mean: data.normalization.mean, std: data.normalization.std))
        XCTAssertEqual(manifest.inputShape, data.test.imageShape)
        XCTAssertEqual(manifest.provenance.command, "quorum local")
    }

    func testEnsembleJSONRecordsEachMembersSample() throws {
        let (directory, plan, data) = try storedRun(sample: "subsample=0.8")
        _ = try RunSummary(directory: directory, plan: plan).finish(data: data, command: "quorum local", wallSeconds: 1)
        let manifest = try EnsembleManifest.load(from: directory.url)
        XCTAssertEqual(manifest.members.map(\.sample), ["subsample=0.8", "subsample=0.8"])
        let (plain, plainPlan, _) = try storedRun(name: "plain")
        _ = try RunSummary(directory: plain, plan: plainPlan).finish(
            data: data, command: "quorum local", wallSeconds: 1)
        let text = try String(contentsOf: plain.url.appendingPathComponent("ensemble.json"), encoding: .utf8)
        XCTAssertFalse(text.contains("sample"), "a member on every image writes no sample field")
    }

    func testAReportElsewhereLeavesTheRunDirectoryAsItIs() throws {
        let (directory, plan, data) = try storedRun()
        let elsewhere = fixture.scratch.appendingPathComponent("other.html")
        let result = try RunSummary(directory: directory, plan: plan)
            .finish(data: data, command: "quorum report", wallSeconds: nil, reportOnly: elsewhere)
        XCTAssertEqual(result.reportPath, elsewhere.path)
        XCTAssertTrue(FileManager.default.fileExists(atPath: elsewhere.path))
        for name in ["summary.json", "ensemble.json", "report.html"] {
            let path = directory.url.appendingPathComponent(name).path
            XCTAssertFalse(FileManager.default.fileExists(atPath: path), name)
        }
    }

    func testARunWithNoStoredMemberHasNothingToSummarise() throws {
        let plan = try RunPlan.make(base: fixture.base, members: 2, augmentation: "none", runId: "empty")
        let directory = try RunDirectory(path: fixture.runPath())
        let data = try PreparedData.load(for: plan.members[0].config)
        XCTAssertThrowsError(
            try RunSummary(directory: directory, plan: plan)
                .finish(data: data, command: "quorum local", wallSeconds: 1)
        ) { error in
            XCTAssertTrue("\(error)".contains("no member has finished"), "\(error)")
        }
    }
}
