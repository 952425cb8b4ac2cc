import Foundation
import XCTest
import QuorumCluster
@testable import QuorumRun
import QuorumTraining

/// `EnsembleRun` without a network: which jobs it still serves, and the transport limit it derives from the plan.
final class EnsembleRunTests: XCTestCase {
    private var fixture: RunFixture!

    override func setUpWithError() throws { fixture = try RunFixture("ensemble-run") }
    override func tearDown() { fixture.remove() }

    private func run(_ base: TrainingConfig, members: Int = 3) throws -> EnsembleRun {
        let plan = try RunPlan.make(base: base, members: members, augmentation: "none", runId: "limits")
        let directory = try RunDirectory(path: fixture.runPath())
        return EnsembleRun(directory: directory, plan: plan, data: try PreparedData.load(for: fixture.base))
    }

    func testMissingJobsAreThePlannedOnesNotStored() throws {
        let run = try run(fixture.base)
        XCTAssertEqual(run.missingJobs, ["member-00", "member-01", "member-02"])
        try run.directory.saveMember(
            jobId: "member-01", modelFile: Data("m".utf8), history: [], probabilities: [1, 0],
            classes: 2, testAccuracy: 1, validationAccuracy: nil, trainSeconds: 1,
            imagesPerSecond: 1, worker: nil)
        XCTAssertEqual(run.missingJobs, ["member-00", "member-02"])
    }

    func testTheMessageLimitCoversThePlansLargestResultAndNoMore() throws {
        let run = try run(fixture.base)
        let fallback = ProtocolLimits().maxMessageBytes
        let limit = run.messageLimit(fallback: fallback)
        let probabilities = run.data.test.count * fixture.classes * 4
        let parameters = (6 * 6 * 10 + 10) * 4  // flatten dense(10) on 6×6 grey images
        XCTAssertGreaterThanOrEqual(limit, probabilities + parameters)
        XCTAssertLessThan(limit, fallback, "a tiny plan gets a tight limit")
        XCTAssertEqual(run.messageLimit(fallback: 1000), 1000, "never above the fallback")

        var wider = fixture.base
        wider.model = "flatten dense(64) relu dense(10)"
        XCTAssertGreaterThan(try self.run(wider).messageLimit(fallback: fallback), limit)

        var transferred = fixture.base
        transferred.initFrom = fixture.scratch.appendingPathComponent("start.safetensors").path
        XCTAssertEqual(
            try self.run(transferred).messageLimit(fallback: fallback), fallback,
            "a member started from a model file has no size known in advance")
    }
}
