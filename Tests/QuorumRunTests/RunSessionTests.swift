import Foundation
import XCTest
import QuorumCluster
import QuorumEnsemble
@testable import QuorumRun
import QuorumTestSupport
import QuorumTraining

/// `RunSession`: a run from its plan to its report, with real workers training tiny members over loopback,
/// and the journal's run events written by the library alone.
final class RunSessionTests: XCTestCase {
    private var fixture: RunFixture!

    override func setUpWithError() throws { fixture = try RunFixture("session") }
    override func tearDown() { fixture.remove() }

    /// Serves `session` with `workers` in-process workers (each a `TrainingJobRunner`), stopping them after.
    private func serve(_ session: RunSession, workers: Int = 1) throws -> CoordinatorOutcome {
        var started: [(WorkerClient, Background<WorkerExit>)] = []
        defer {
            started.forEach {
                $0.0.requestStop(); _ = $0.1.wait(5)
            }
        }
        return try session.serve(endpoint: "tcp://127.0.0.1:0", settings: Harness.fast, shipsData: false) { bound in
            for i in 0..<workers {
                let runner = TrainingJobRunner()
                let client = try WorkerClient(
                    endpoint: bound, info: Harness.info("local-\(i)"),
                    settings: Harness.fastWorker, runner: runner)
                started.append((client, Background("worker-\(i)") { try client.run() }))
            }
        }
    }

    func testANewRunTrainsEveryMemberJournalsItAndSummarises() throws {
        let path = fixture.runPath()
        let session = try RunSession.create(path: path, base: fixture.base, members: 2, augmentation: "none")
        XCTAssertEqual(session.plan.runId, "run", "a run is named after its folder")
        XCTAssertEqual(session.missingJobs, ["member-00", "member-01"])
        let saved = Recorder<String>()
        session.run.onMemberSaved = { job, _, worker in saved.append("\(job) \(worker)") }
        XCTAssertEqual(try serve(session, workers: 2), .complete)
        XCTAssertEqual(session.storedJobs, ["member-00", "member-01"])
        XCTAssertEqual(session.missingJobs, [])
        XCTAssertEqual(Set(saved.all.map { String($0.prefix(9)) }), ["member-00", "member-01"])
        let events = session.directory.journal().map(\.event)
        XCTAssertEqual(events.first, .started)
        XCTAssertEqual(events.filter { $0 == .completed }.count, 2)
        XCTAssertEqual(events.last, .finished)

        let result = try session.summarize(command: "quorum local", wallSeconds: 1)
        XCTAssertEqual(result.comparison.members.count, 2)
        XCTAssertTrue(FileManager.default.fileExists(atPath: result.reportPath))

        // Nothing left to train: resuming binds nothing and only journals the end again.
        let resumed = try RunSession.resume(path: path)
        XCTAssertEqual(resumed.plan, session.plan)
        var bound = false
        XCTAssertEqual(
            try resumed.serve(endpoint: "tcp://127.0.0.1:0", settings: Harness.fast) { _ in bound = true },
            .complete)
        XCTAssertFalse(bound)
        XCTAssertEqual(resumed.directory.journal().map(\.event).suffix(2), [.finished, .finished])
    }

    func testASnapshotJobStoresEveryCycleAsAMemberAndARerunGivesTheSameBytes() throws {
        var base = fixture.base
        base.epochs = 2
        base.snapshots = SnapshotSettings(count: 2)
        let session = try RunSession.create(path: fixture.runPath(), base: base, members: 1, augmentation: "none")
        XCTAssertEqual(try serve(session), .complete)
        let names = ["member-00-c1", "member-00"]
        let first = try names.map { try Data(contentsOf: session.directory.modelURL($0)) }
        XCTAssertNotEqual(first[0], first[1])
        let result = try session.summarize(command: "quorum local", wallSeconds: 1)
        XCTAssertEqual(result.comparison.members.map(\.name), names, "each snapshot is a member")
        let manifest = try EnsembleManifest.load(from: session.directory.url)
        XCTAssertEqual(manifest.members.map(\.parentJob), ["member-00", "member-00"])
        XCTAssertEqual(manifest.members.map(\.cycle), [1, 2])

        // Killed (kill -9) while storing: a torn snapshot file and no journal line. The job is trained again
        // and its snapshots come back byte for byte.
        let killed = try RunDirectory(path: fixture.runPath("killed"))
        try killed.writePlan(session.plan)
        try Data("torn".utf8).write(to: killed.modelURL("member-00-c1"))
        let resumed = try RunSession.resume(path: killed.url.path)
        XCTAssertEqual(resumed.missingJobs, ["member-00"])
        XCTAssertEqual(try serve(resumed), .complete)
        XCTAssertEqual(try names.map { try Data(contentsOf: killed.modelURL($0)) }, first)
    }

    func testResumingAFinishedRunWithMoreMembersTrainsOnlyTheNewOnes() throws {
        let path = fixture.runPath()
        let first = try RunSession.create(path: path, base: fixture.base, members: 2, augmentation: "none; hflip")
        XCTAssertEqual(try serve(first), .complete)
        let before = try Data(contentsOf: first.directory.modelURL("member-01"))
        let grown = try RunSession.resume(path: path, members: 4)
        XCTAssertEqual(grown.plan.members.count, 4)
        XCTAssertEqual(Array(grown.plan.members.prefix(2)), first.plan.members)
        XCTAssertEqual(grown.missingJobs, ["member-02", "member-03"])
        XCTAssertEqual(try grown.directory.readPlan(), grown.plan, "plan.json holds the grown plan")
        XCTAssertEqual(try serve(grown), .complete)
        XCTAssertEqual(try Data(contentsOf: grown.directory.modelURL("member-01")), before, "never trained again")
        let result = try grown.summarize(command: "quorum local", wallSeconds: 1)
        XCTAssertEqual(result.comparison.members.count, 4, "the table covers every member")
        XCTAssertThrowsError(try RunSession.resume(path: path, members: 3)) {
            XCTAssertTrue("\($0)".contains("gain members, not lose them"), "\($0)")
        }
    }

    func testAResumedRunTrainsOnlyWhatIsMissing() throws {
        let path = fixture.runPath()
        let first = try RunSession.create(path: path, base: fixture.base, members: 2, augmentation: "none")
        let data = first.data
        try first.directory.saveMember(
            jobId: "member-01", modelFile: Data("earlier".utf8), history: [],
            probabilities: RunFixture.oneHot(data.test.labels, classes: fixture.classes), classes: fixture.classes,
            testAccuracy: 1, validationAccuracy: nil, trainSeconds: 1, imagesPerSecond: 1, worker: "earlier")
        let session = try RunSession.resume(path: path)
        XCTAssertEqual(session.missingJobs, ["member-00"])
        XCTAssertEqual(try serve(session), .complete)
        let journal = session.directory.journal()
        XCTAssertEqual(journal.map(\.event), [.completed, .resumed, .completed, .finished])
        XCTAssertEqual(journal.filter { $0.event == .completed }.compactMap(\.jobId), ["member-01", "member-00"])
        XCTAssertEqual(
            try Data(contentsOf: session.directory.modelURL("member-01")), Data("earlier".utf8),
            "a stored member is never trained again")
    }

    func testAStoppedRunWritesNoEndAndAFailedOneSaysWhy() throws {
        let session = try RunSession.create(
            path: fixture.runPath(), base: fixture.base, members: 1,
            augmentation: "none")
        session.run.requestStop()
        var bound = false
        XCTAssertEqual(
            try session.serve(endpoint: "tcp://127.0.0.1:0", settings: Harness.fast) { _ in bound = true },
            .stopped)
        XCTAssertFalse(bound)
        XCTAssertEqual(session.directory.journal().map(\.event), [.started], "--resume continues a stopped run")

        let broken = try RunSession.resume(path: fixture.runPath())
        XCTAssertThrowsError(try broken.serve(endpoint: "nonsense://here", settings: Harness.fast) { _ in })
        let last = try XCTUnwrap(broken.directory.journal().last)
        XCTAssertEqual(last.event, .failed)
        XCTAssertFalse((last.message ?? "").isEmpty)
    }

    func testANewRunNeedsAFreeFolderAndAResumedOneAPlan() throws {
        let path = fixture.runPath()
        XCTAssertThrowsError(try RunSession.resume(path: path)) { error in
            XCTAssertEqual("\(error)", "\(path) holds no run to resume (no plan.json)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path), "a failed resume creates nothing")
        XCTAssertThrowsError(try RunSession.create(path: path, base: fixture.base, members: 0, augmentation: "none"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: path), "a bad plan creates nothing")
        _ = try RunSession.create(path: path, base: fixture.base, members: 1, augmentation: "none")
        XCTAssertThrowsError(try RunSession.create(path: path, base: fixture.base, members: 1, augmentation: "none")) {
            XCTAssertEqual("\($0)", "\(path) already holds a run")
        }
        XCTAssertTrue(RunSession.defaultPath(at: Date(timeIntervalSince1970: 0)).hasPrefix("runs/1970-01-01T00-00-00"))
    }
}
