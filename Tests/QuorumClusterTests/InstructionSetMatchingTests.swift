import Foundation
import XCTest
@testable import QuorumCluster
import QuorumTestSupport

/// The state machine hands a job out again on a worker with its first holder's instruction set (READY's `isa`),
/// since oneDNN's kernels for another one give other bits; when none can take it, the job runs elsewhere and
/// the completion says so.
final class InstructionSetMatchingTests: XCTestCase {
    let a = WorkerID("worker-a"), b = WorkerID("worker-b"), c = WorkerID("worker-c")
    let avx512 = "avx512_core", avx2 = "avx2"

    private func machine(_ jobs: Int) throws -> CoordinatorStateMachine {
        try CoordinatorStateMachine(plan: Fixtures.plan(jobs), settings: CoordinatorSettings(heartbeatInterval: 1))
    }

    private func elsewhere(_ actions: [CoordinatorAction]) -> [CoordinatorAction] {
        actions.filter { if case .otherInstructionSet = $0 { return true } else { return false } }
    }

    func testARequeuedJobGoesToAWorkerWithItsFirstHoldersInstructionSet() throws {
        let m = try machine(1)
        XCTAssertEqual(
            Fixtures.jobs(m.handle(Fixtures.ready("host-a", isa: avx512), from: a, at: 0)).map(\.jobId),
            ["member-0"])
        _ = m.handle(Fixtures.ready("host-b", isa: avx2), from: b, at: 0.1)
        _ = m.handle(Fixtures.ready("host-c", isa: avx512), from: c, at: 0.2)
        // b registered first, but c computes as a did.
        let requeued = m.handle(.disconnect(DisconnectHeader(reason: "stopping")), from: a, at: 0.3)
        XCTAssertEqual(Fixtures.jobs(requeued).map(\.worker), [c])
        XCTAssertEqual(Fixtures.jobs(requeued).map(\.attempt), [2])
        let done = m.handle(Fixtures.result("member-0"), from: c, at: 0.4)
        XCTAssertEqual(Fixtures.completed(done), ["member-0"])
        XCTAssertTrue(elsewhere(done).isEmpty, "same instruction set: nothing to note")
        XCTAssertEqual(done.last, .runComplete)
    }

    func testAFailedJobWaitsForABusyWorkerWithThatInstructionSetRatherThanRunElsewhere() throws {
        let m = try machine(2)
        _ = m.handle(Fixtures.ready("host-a", isa: avx512), from: a, at: 0)  // member-0
        _ = m.handle(Fixtures.ready("host-c", isa: avx512), from: c, at: 0)  // member-1
        _ = m.handle(Fixtures.ready("host-b", isa: avx2), from: b, at: 0)  // nothing left
        // a fails member-0 and is idle again, as is b: a, the first holder, takes it back.
        XCTAssertEqual(Fixtures.jobs(m.handle(Fixtures.failed("member-0"), from: a, at: 0.1)).map(\.worker), [a])
        // a dies: b is idle, c busy; the job waits for c.
        XCTAssertTrue(Fixtures.jobs(m.handle(.disconnect(DisconnectHeader()), from: a, at: 0.2)).isEmpty)
        XCTAssertTrue(Fixtures.jobs(m.tick(at: 0.5)).isEmpty, "b is not given a job that c will reproduce")
        XCTAssertEqual(m.status.queued, ["member-0"])
        let next = m.handle(Fixtures.result("member-1"), from: c, at: 0.6)
        XCTAssertEqual(Fixtures.jobs(next).map(\.worker), [c])
        XCTAssertEqual(Fixtures.jobs(next).map(\.attempt), [3])
        let done = m.handle(Fixtures.result("member-0"), from: c, at: 0.7)
        XCTAssertTrue(elsewhere(done).isEmpty)
        XCTAssertEqual(done.last, .runComplete)
    }

    func testWithNoWorkerOfThatInstructionSetTheJobRunsElsewhereAndTheCompletionSaysSo() throws {
        let m = try machine(1)
        _ = m.handle(Fixtures.ready("host-a", isa: avx512), from: a, at: 0)
        _ = m.handle(Fixtures.ready("host-b", isa: avx2), from: b, at: 0.1)
        _ = m.handle(.heartbeat(HeartbeatHeader()), from: b, at: 2.5)
        let requeued = m.tick(at: 3.0)  // a expires
        XCTAssertEqual(Fixtures.jobs(requeued).map(\.worker), [b])
        XCTAssertTrue(
            Fixtures.logs(requeued).contains { $0.contains("member-0") && $0.contains(avx512) },
            "the hand-out names the instruction set it could not have: \(Fixtures.logs(requeued))")
        let done = m.handle(Fixtures.result("member-0"), from: b, at: 3.1)
        XCTAssertEqual(Fixtures.completed(done), ["member-0"])
        XCTAssertEqual(
            elsewhere(done),
            [
                .otherInstructionSet(
                    jobId: "member-0", worker: b, host: "host-b", isa: avx2,
                    firstISA: avx512)
            ])
        XCTAssertEqual(done.last, .runComplete)
    }

    func testARejectedResultGoesElsewhereWhenTheOnlyWorkerWithThatInstructionSetSentIt() throws {
        let m = try machine(1)
        m.verifier = { _, _, worker in worker.host == "host-a" ? .rejected("row 0 sums to 0.5") : .accepted }
        _ = m.handle(Fixtures.ready("host-a", isa: avx512), from: a, at: 0)
        _ = m.handle(Fixtures.ready("host-b", isa: nil), from: b, at: 0)
        let rejected = m.handle(Fixtures.result("member-0"), from: a, at: 0.1)
        XCTAssertEqual(
            Fixtures.jobs(rejected).map(\.worker), [b],
            "a sent a bad result, so b takes the job though it names no instruction set")
        let done = m.handle(Fixtures.result("member-0"), from: b, at: 0.2)
        XCTAssertEqual(
            elsewhere(done),
            [
                .otherInstructionSet(
                    jobId: "member-0", worker: b, host: "host-b", isa: nil,
                    firstISA: avx512)
            ])
    }

    func testAJobWhoseFirstHolderNamedNoInstructionSetGoesToAnyWorker() throws {
        let m = try machine(1)
        _ = m.handle(Fixtures.ready("host-a", isa: nil), from: a, at: 0)
        _ = m.handle(Fixtures.ready("host-b", isa: avx2), from: b, at: 0)
        _ = m.handle(Fixtures.ready("host-c", isa: avx512), from: c, at: 0)
        XCTAssertEqual(Fixtures.jobs(m.handle(.disconnect(DisconnectHeader()), from: a, at: 0.1)).map(\.worker), [b])
        XCTAssertTrue(elsewhere(m.handle(Fixtures.result("member-0"), from: b, at: 0.2)).isEmpty)
    }

    func testTheStatusShowsEachWorkersInstructionSet() throws {
        let m = try machine(1)
        _ = m.handle(Fixtures.ready("host-a", isa: avx512), from: a, at: 0)
        _ = m.handle(Fixtures.ready("host-b", isa: nil), from: b, at: 0)
        XCTAssertEqual(m.status.workers.map(\.isa), [avx512, nil])
    }
}
