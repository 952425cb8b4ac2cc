import Foundation
import QuorumTestSupport
import XCTest
@testable import QuorumCluster

/// `CoordinatorCounters` and `snapshot()`: what the metrics endpoint and the scaling measurements read, driven
/// with fake time.
final class CoordinatorCountersTests: XCTestCase {
    let a = WorkerID("worker-a"), b = WorkerID("worker-b")

    func testSilencesExpiriesAndRequeuesAreCounted() throws {
        let m = try CoordinatorStateMachine(
            plan: Fixtures.plan(3), settings: CoordinatorSettings(heartbeatInterval: 1, liveness: 3))
        _ = m.handle(Fixtures.ready(), from: a, at: 0)
        _ = m.handle(Fixtures.ready("host-b"), from: b, at: 0)
        _ = m.handle(.heartbeat(HeartbeatHeader()), from: a, at: 1.5)
        _ = m.tick(at: 2.2)  // b has been silent 2.2 s: one missed heartbeat
        _ = m.handle(.heartbeat(HeartbeatHeader()), from: a, at: 2.4)
        XCTAssertEqual(m.counters.missedHeartbeats, 1)
        XCTAssertEqual(m.counters.longestSilence, 1.5, accuracy: 1e-9, "a's longest gap so far")
        _ = m.handle(Fixtures.progress("member-0"), from: a, at: 2.5)
        XCTAssertEqual(m.snapshot().members.map(\.jobId), ["member-0"])
        XCTAssertEqual(m.snapshot().members.first?.imagesPerSecond, 1234)
        _ = m.tick(at: 3.1)  // b expires; its job goes back to the queue
        XCTAssertEqual(m.counters.expiredWorkers, 1)
        XCTAssertEqual(m.counters.requeuedJobs, 1)
        XCTAssertEqual(m.counters.workersJoined, 2)
        XCTAssertEqual(m.counters.workersLost, 1)
        XCTAssertLessThan(m.counters.longestSilence, 3, "a dead worker's silence is not a live worker's gap")
        _ = m.handle(Fixtures.result("member-0"), from: a, at: 3.2)
        let snapshot = m.snapshot()
        XCTAssertEqual(m.counters.completedJobs, 1)
        XCTAssertEqual(
            [snapshot.workers, snapshot.queued, snapshot.running, snapshot.done, snapshot.failed, snapshot.total],
            [1, 1, 1, 1, 0, 3])
    }

    func testAResumedRunCountsItsStoredMembersAsDone() throws {
        let m = try CoordinatorStateMachine(plan: Fixtures.plan(4), completed: ["member-1", "member-2"])
        let snapshot = m.snapshot()
        XCTAssertEqual([snapshot.done, snapshot.queued, snapshot.total], [2, 2, 4])
        XCTAssertEqual(m.counters.completedJobs, 0, "nothing was completed in this session yet")
    }
}
