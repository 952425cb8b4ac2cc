import Foundation
import QuorumData
import QuorumTraining
import XCTest
@testable import QuorumRun

/// The run directory: the plan, the append-only journal and the members' files, and which members count as
/// stored after a crash.
final class RunDirectoryTests: XCTestCase {
    private var fixture: RunFixture!

    override func setUpWithError() throws { fixture = try RunFixture("directory") }
    override func tearDown() { fixture.remove() }

    /// One epoch's record, as a worker's history holds it.
    private let epoch = try! JSONDecoder().decode(
        EpochStats.self,
        from: Data(
            #"{"epoch":1,"trainLoss":0.7,"trainAccuracy":0.6,"learningRate":0.001,"seconds":2,"imagesPerSecond":20}"#
                .utf8))

    func testAnEntryAfterATornLastLineStartsALineOfItsOwn() throws {
        let directory = try RunDirectory(path: fixture.runPath())
        try directory.append(JournalEntry(event: .started))
        try directory.append(JournalEntry(event: .completed, jobId: "member-00"))
        // A crash in the middle of the next line.
        let handle = try FileHandle(forWritingTo: directory.journalURL)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"event":"completed","job_id":"memb"#.utf8))
        try handle.close()
        try directory.append(JournalEntry(event: .resumed))
        try directory.append(
            JournalEntry(
                event: .rejected, jobId: "member-01", worker: "w (h)",
                message: "sums to 0.5"))
        XCTAssertEqual(directory.journal().map(\.event), [.started, .completed, .resumed, .rejected])
        XCTAssertEqual(directory.journal().last?.message, "sums to 0.5")
        let lines = try String(contentsOf: directory.journalURL, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, 5, "the torn line stays on its own, the entries after it are whole")
    }

    func testThePlanRoundTripsAndHasPlanCreatesNothing() throws {
        let path = fixture.runPath()
        XCTAssertFalse(RunDirectory.hasPlan(at: path))
        XCTAssertFalse(FileManager.default.fileExists(atPath: path), "asking must not create the folder")
        let plan = try RunPlan.make(base: fixture.base, members: 2, augmentation: "none", runId: "round-trip")
        let directory = try RunDirectory(path: path)
        XCTAssertFalse(directory.hasPlan)
        try directory.writePlan(plan)
        XCTAssertTrue(directory.hasPlan)
        XCTAssertTrue(RunDirectory.hasPlan(at: path))
        XCTAssertEqual(try RunDirectory(path: path).readPlan(), plan)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: directory.planURL)) as? [String: Any]
        XCTAssertEqual(json?["run_id"] as? String, "round-trip", "plan.json uses the wire's snake_case keys")
    }

    func testAnUnreadablePlanNamesItsFile() throws {
        let directory = try RunDirectory(path: fixture.runPath())
        try Data("{\"members\": 3".utf8).write(to: directory.planURL)
        XCTAssertThrowsError(try directory.readPlan()) { error in
            XCTAssertTrue("\(error)".contains(directory.planURL.path), "\(error)")
            XCTAssertTrue("\(error)".contains("cannot read the run plan"), "\(error)")
        }
    }

    func testAStoredMemberReadsBackAndCountsOnlyWithItsFilesAndItsJournalLine() throws {
        let directory = try RunDirectory(path: fixture.runPath())
        let probabilities: [Float] = [0.25, 0.75, 1, 0, 0.5, 0.5]
        try directory.saveMember(
            jobId: "member-00", modelFile: Data("model".utf8), history: [epoch],
            probabilities: probabilities, classes: 2, testAccuracy: 0.5, validationAccuracy: nil,
            trainSeconds: 2, imagesPerSecond: 20, worker: "local-0")
        XCTAssertEqual(directory.completedJobs(), ["member-00"])
        let member = try directory.loadMember("member-00")
        XCTAssertEqual(member.probabilities, probabilities)
        XCTAssertEqual(member.classes, 2)
        XCTAssertEqual(member.history, [epoch])
        XCTAssertEqual(member.testAccuracy, 0.5)
        XCTAssertNil(member.validationAccuracy)
        XCTAssertEqual(member.trainSeconds, 2)
        XCTAssertEqual(member.imagesPerSecond, 20)
        let line = try XCTUnwrap(directory.journal().last)
        XCTAssertEqual(line.event, .completed)
        XCTAssertEqual(line.worker, "local-0")
        XCTAssertEqual(line.testAccuracy, 0.5)

        // A journal line whose files are gone (a crash, a hand-deleted file) does not count.
        try FileManager.default.removeItem(at: directory.predictionsURL("member-00"))
        XCTAssertEqual(directory.completedJobs(), [])
        // Files without their journal line do not count either.
        try directory.saveMember(
            jobId: "member-01", modelFile: Data("model".utf8), history: [],
            probabilities: [1, 0], classes: 2, testAccuracy: 1, validationAccuracy: 1,
            trainSeconds: 1, imagesPerSecond: 1, worker: nil)
        let journal = try String(contentsOf: directory.journalURL, encoding: .utf8)
        try journal.replacingOccurrences(of: "member-01", with: "member-99")
            .write(to: directory.journalURL, atomically: true, encoding: .utf8)
        XCTAssertEqual(directory.completedJobs(), [])
    }
}
