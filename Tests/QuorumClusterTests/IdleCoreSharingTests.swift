import Foundation
import XCTest
@testable import QuorumCluster
import QuorumTestSupport

/// The coordinator's rules for lending idle workers' threads to busy workers on the same host.
final class IdleCoreSharingTests: XCTestCase {
    let a = WorkerID("worker-a"), b = WorkerID("worker-b"), c = WorkerID("worker-c")
    let d = WorkerID("worker-d"), e = WorkerID("worker-e")

    private func machine(_ jobs: Int, share: Bool = true) throws -> CoordinatorStateMachine {
        try CoordinatorStateMachine(
            plan: Fixtures.plan(jobs),
            settings: CoordinatorSettings(heartbeatInterval: 1, shareIdleCores: share))
    }

    private func ready(_ machine: String? = "host-a", cores: Int = 2) -> ProtocolMessage {
        .ready(
            ReadyHeader(
                version: "0.1.0", host: "worker", cores: cores, threads: 1, isa: "avx2",
                machine: machine))
    }

    /// The HEARTBEATs among `actions`, as (worker, threads).
    private func heartbeats(_ actions: [CoordinatorAction]) -> [(worker: WorkerID, threads: Int?)] {
        actions.compactMap {
            if case .send(let w, .heartbeat(let h)) = $0 { return (w, h.threads) }
            return nil
        }
    }

    func testLastJobGetsTheIdleWorkersThreadOnceTheQueueIsEmptyAndKeepsItInEveryHeartbeat() throws {
        let m = try machine(3)
        _ = m.handle(ready(), from: a, at: 0)
        _ = m.handle(ready(), from: b, at: 0)
        // b finishes first and takes the last job: the queue is empty, but nobody is idle.
        let next = m.handle(Fixtures.result("member-1"), from: b, at: 0.2)
        XCTAssertEqual(Fixtures.jobs(next).map(\.jobId), ["member-2"])
        XCTAssertTrue(heartbeats(next).isEmpty)
        XCTAssertTrue(m.threadGrants().isEmpty)
        // a finishes with nothing left to take: b may use a's thread, and is told at once.
        let done = m.handle(Fixtures.result("member-0"), from: a, at: 0.4)
        XCTAssertEqual(heartbeats(done).map(\.worker), [b])
        XCTAssertEqual(heartbeats(done).map(\.threads), [2])
        XCTAssertEqual(m.threadGrants(), [b: 2])
        // Regular heartbeats repeat the grant to b; idle a gets a plain one.
        let beat = m.tick(at: 1.0)
        XCTAssertEqual(heartbeats(beat).map(\.worker), [a, b])
        XCTAssertEqual(heartbeats(beat).map(\.threads), [nil, 2])
        // Nothing changed: no extra heartbeat between regular ones.
        XCTAssertTrue(heartbeats(m.handle(.heartbeat(HeartbeatHeader()), from: b, at: 1.2)).isEmpty)
    }

    func testGrantGoesBackDownWhenAJobReturnsToTheQueueAndTheIdleWorkerTakesIt() throws {
        let m = try machine(2)
        _ = m.handle(ready(), from: a, at: 0)
        _ = m.handle(ready(), from: b, at: 0)
        let joined = m.handle(ready(), from: c, at: 0.1)
        XCTAssertEqual(heartbeats(joined).map(\.worker), [a])
        XCTAssertEqual(heartbeats(joined).map(\.threads), [2])
        // b leaves while training: its job goes back to the queue and idle c takes it, so a is back to 1.
        let left = m.handle(.disconnect(DisconnectHeader(reason: "stopping")), from: b, at: 0.3)
        XCTAssertEqual(Fixtures.jobs(left).map(\.worker), [c])
        XCTAssertEqual(heartbeats(left).map(\.worker), [a])
        XCTAssertEqual(heartbeats(left).map(\.threads), [1])
        XCTAssertTrue(m.threadGrants().isEmpty)
        XCTAssertEqual(heartbeats(m.tick(at: 1.0)).map(\.threads), [nil, nil])
    }

    func testAWorkerGrantedThreadsStartsItsNextJobAtTheJobsOwnCount() throws {
        let m = try machine(3)
        _ = m.handle(ready(), from: a, at: 0)
        _ = m.handle(ready(), from: b, at: 0)
        _ = m.handle(Fixtures.result("member-0"), from: a, at: 0.1)  // a takes member-2
        _ = m.handle(Fixtures.result("member-2"), from: a, at: 0.2)  // a idle: b gets 2
        XCTAssertEqual(m.threadGrants(), [b: 2])
        // b's job is re-queued by its own READY (a restart); a takes it, b is idle and a gets b's thread.
        let again = m.handle(ready(), from: b, at: 0.3)
        XCTAssertEqual(Fixtures.jobs(again).map(\.worker), [a])
        XCTAssertEqual(heartbeats(again).map(\.worker), [a])
        XCTAssertEqual(heartbeats(again).map(\.threads), [2])
        // The JOB went out before the grant, so the worker applies the grant to the new job.
        let kinds = again.compactMap { action -> Command? in
            if case .send(a, let message) = action { return message.command }
            return nil
        }
        XCTAssertEqual(kinds, [.job, .heartbeat])
    }

    func testOnlyWorkersOfTheSameMachineShareAndOnlyWhenSwitchedOn() throws {
        let other = try machine(2)
        _ = other.handle(ready("host-a"), from: a, at: 0)
        _ = other.handle(ready("host-b"), from: b, at: 0)
        let done = other.handle(Fixtures.result("member-0"), from: a, at: 0.1)
        XCTAssertTrue(heartbeats(done).isEmpty)
        XCTAssertTrue(other.threadGrants().isEmpty)

        // Workers that do not say which machine they run on (older ones) share nothing.
        let unnamed = try machine(2)
        _ = unnamed.handle(ready(nil), from: a, at: 0)
        _ = unnamed.handle(ready(nil), from: b, at: 0)
        XCTAssertTrue(heartbeats(unnamed.handle(Fixtures.result("member-0"), from: a, at: 0.1)).isEmpty)

        let off = try machine(2, share: false)
        _ = off.handle(ready(), from: a, at: 0)
        _ = off.handle(ready(), from: b, at: 0)
        XCTAssertTrue(heartbeats(off.handle(Fixtures.result("member-0"), from: a, at: 0.1)).isEmpty)
        XCTAssertTrue(off.threadGrants().isEmpty)
        XCTAssertEqual(heartbeats(off.tick(at: 1.0)).map(\.threads), [nil, nil])
    }

    func testSpareThreadsAreSplitInRegistrationOrderUpToTheHostsCores() throws {
        let m = try machine(2)
        for id in [a, b, c, d, e] { _ = m.handle(ready(cores: 8), from: id, at: 0) }
        // Three idle threads over two busy workers: the first gets the remainder.
        XCTAssertEqual(m.threadGrants(), [a: 3, b: 2])

        let small = try machine(1)
        for id in [a, b, c] { _ = small.handle(ready(cores: 2), from: id, at: 0) }
        XCTAssertEqual(small.threadGrants(), [a: 2])
    }

    func testHeartbeatThreadsIsOptionalOnTheWireAndRangeChecked() throws {
        let codec = MessageCodec()
        func header(_ message: ProtocolMessage) -> String { String(decoding: codec.encode(message)[2], as: UTF8.self) }
        XCTAssertEqual(header(.heartbeat(HeartbeatHeader())), "{}")
        XCTAssertEqual(header(.heartbeat(HeartbeatHeader(threads: 2))), #"{"threads":2}"#)
        XCTAssertEqual(
            try codec.decode(codec.encode(.heartbeat(HeartbeatHeader(threads: 2)))),
            .heartbeat(HeartbeatHeader(threads: 2)))
        // Unknown keys are ignored; a bad count is refused by name.
        let future = [Data("QUORUM/1".utf8), Data("HEARTBEAT".utf8), Data(#"{"later":true}"#.utf8)]
        XCTAssertEqual(try codec.decode(future), .heartbeat(HeartbeatHeader()))
        for bad in [#"{"threads":0}"#, #"{"threads":"2"}"#] {
            let frames = [Data("QUORUM/1".utf8), Data("HEARTBEAT".utf8), Data(bad.utf8)]
            XCTAssertThrowsError(try codec.decode(frames)) { XCTAssertTrue("\($0)".contains("threads"), "\($0)") }
        }
    }
}
