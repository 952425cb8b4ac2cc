import Foundation
import XCTest
@testable import QuorumCluster
import QuorumTestSupport

final class CoordinatorStateMachineTests: XCTestCase {
    let a = WorkerID("worker-a"), b = WorkerID("worker-b"), c = WorkerID("worker-c")

    private func machine(_ jobs: Int, completed: Set<String> = [], maxAttempts: Int = 3) throws
        -> CoordinatorStateMachine
    {
        try CoordinatorStateMachine(
            plan: Fixtures.plan(jobs), completed: completed,
            settings: CoordinatorSettings(heartbeatInterval: 1, liveness: 3, maxAttempts: maxAttempts))
    }

    func testJobsAreAssignedInMemberOrderOneJobPerWorker() throws {
        // Plan given out of order: the queue follows member index, not list order.
        let plan = Fixtures.plan(3).reversed()
        let m = try CoordinatorStateMachine(plan: Array(plan))
        let first = Fixtures.jobs(m.handle(Fixtures.ready(), from: a, at: 0))
        XCTAssertEqual(first.map(\.jobId), ["member-0"])
        XCTAssertEqual(first.map(\.attempt), [1])
        let second = Fixtures.jobs(m.handle(Fixtures.ready("host-b"), from: b, at: 0.1))
        XCTAssertEqual(second.map(\.jobId), ["member-1"])
        XCTAssertEqual(second.map(\.worker), [b])
        // A busy worker gets nothing more until it reports.
        XCTAssertTrue(Fixtures.jobs(m.handle(.heartbeat(HeartbeatHeader()), from: a, at: 0.2)).isEmpty)
        let after = m.handle(Fixtures.result("member-0"), from: a, at: 0.3)
        XCTAssertEqual(Fixtures.completed(after), ["member-0"])
        XCTAssertEqual(Fixtures.jobs(after).map(\.jobId), ["member-2"])
        XCTAssertEqual(Fixtures.jobs(after).map(\.worker), [a])
    }

    func testJobCarriesPlanThreadsIndexAndConfigObject() throws {
        let plan = [
            PlannedJob(
                jobId: "j", memberIndex: 4, threads: 2, config: Data(#"{"seed":18446744073709551,"name":"x"}"#.utf8))
        ]
        let m = try CoordinatorStateMachine(plan: plan)
        let sent = m.handle(Fixtures.ready(), from: a, at: 0).compactMap { action -> JobHeader? in
            if case .send(_, .job(let h)) = action { return h } else { return nil }
        }
        XCTAssertEqual(sent.count, 1)
        XCTAssertEqual(sent.first?.memberIndex, 4)
        XCTAssertEqual(sent.first?.threads, 2)
        XCTAssertEqual(sent.first?.config, .object(["seed": .integer(18446744073709551), "name": .string("x")]))
    }

    func testInvalidPlansAreRejected() {
        var dup = Fixtures.plan(2)
        dup[1].jobId = dup[0].jobId
        XCTAssertThrowsError(try CoordinatorStateMachine(plan: dup)) {
            XCTAssertEqual($0 as? CoordinatorError, .duplicateJobId("member-0"))
        }
        var bad = Fixtures.plan(1)
        bad[0].config = Data("[1,2]".utf8)
        XCTAssertThrowsError(try CoordinatorStateMachine(plan: bad)) { XCTAssertTrue("\($0)".contains("member-0")) }
        XCTAssertThrowsError(
            try CoordinatorStateMachine(plan: Fixtures.plan(1), settings: CoordinatorSettings(heartbeatInterval: 0)))
    }

    func testHeartbeatsGoToEveryWorkerEachInterval() throws {
        let m = try machine(1)
        _ = m.handle(Fixtures.ready(), from: a, at: 0)
        _ = m.handle(Fixtures.ready(), from: b, at: 0.2)
        XCTAssertTrue(Fixtures.recipients(m.tick(at: 0.5), of: .heartbeat).isEmpty)
        XCTAssertEqual(Fixtures.recipients(m.tick(at: 1.0), of: .heartbeat), [a, b])
        XCTAssertTrue(Fixtures.recipients(m.tick(at: 1.5), of: .heartbeat).isEmpty)
        // Keep both alive so none expires, then the next beat falls one interval after the last one.
        _ = m.handle(.heartbeat(HeartbeatHeader()), from: a, at: 1.9)
        _ = m.handle(.heartbeat(HeartbeatHeader()), from: b, at: 1.9)
        XCTAssertEqual(Fixtures.recipients(m.tick(at: 2.0), of: .heartbeat), [a, b])
        XCTAssertTrue(Fixtures.recipients(m.tick(at: 2.99), of: .heartbeat).isEmpty)
        XCTAssertEqual(Fixtures.recipients(m.tick(at: 3.0), of: .heartbeat), [a, b])
    }

    func testAnyMessageRefreshesLivenessAndSilentIdleWorkerExpires() throws {
        let m = try machine(1)
        _ = m.handle(Fixtures.ready(), from: a, at: 0)  // a takes the only job
        _ = m.handle(Fixtures.ready("host-b"), from: b, at: 0)  // b stays idle
        _ = m.handle(Fixtures.progress("member-0"), from: a, at: 2.5)
        let actions = m.tick(at: 3.0)
        XCTAssertEqual(m.status.workers.map(\.id), [a], "idle b was silent 3 s = liveness × interval")
        XCTAssertTrue(Fixtures.logs(actions).contains { $0.contains("worker-b") && $0.contains("expired") })
        XCTAssertFalse(Fixtures.recipients(actions, of: .heartbeat).contains(b))
        // a spoke at 2.5, so it lives until 5.5.
        _ = m.tick(at: 5.4)
        XCTAssertEqual(m.status.workers.map(\.id), [a])
        _ = m.tick(at: 5.5)
        XCTAssertTrue(m.status.workers.isEmpty)
    }

    func testBusyWorkerExpiryPutsItsJobAtTheFrontWithNextAttempt() throws {
        let m = try machine(3)
        _ = m.handle(Fixtures.ready(), from: a, at: 0)  // member-0
        _ = m.handle(Fixtures.ready(), from: b, at: 0)  // member-1
        XCTAssertEqual(m.status.queued, ["member-2"])
        _ = m.handle(.heartbeat(HeartbeatHeader()), from: b, at: 2.0)
        _ = m.tick(at: 3.0)  // a expires, member-0 back in front
        XCTAssertEqual(m.status.queued, ["member-0", "member-2"])
        let actions = m.handle(Fixtures.result("member-1"), from: b, at: 3.1)
        XCTAssertEqual(Fixtures.jobs(actions).map(\.jobId), ["member-0"])
        XCTAssertEqual(Fixtures.jobs(actions).map(\.attempt), [2])
        XCTAssertEqual(m.status.queued, ["member-2"])
    }

    func testWorkerReReadyMidJobRequeuesThatJob() throws {
        let m = try machine(2)
        _ = m.handle(Fixtures.ready(), from: a, at: 0)  // member-0
        let actions = m.handle(Fixtures.ready(), from: a, at: 1)
        XCTAssertTrue(Fixtures.logs(actions).contains { $0.contains("member-0") && $0.contains("again") })
        // Back at the front, as attempt 2, and handed straight to the now idle worker.
        XCTAssertEqual(Fixtures.jobs(actions).map(\.jobId), ["member-0"])
        XCTAssertEqual(Fixtures.jobs(actions).map(\.attempt), [2])
        XCTAssertEqual(m.status.workers.count, 1)
        XCTAssertEqual(m.status.queued, ["member-1"])
    }

    func testLateDuplicateResultFromReturningWorkerIsDropped() throws {
        let m = try machine(3)
        _ = m.handle(Fixtures.ready(), from: a, at: 0)  // member-0
        _ = m.handle(Fixtures.ready(), from: b, at: 0)  // member-1
        _ = m.handle(.heartbeat(HeartbeatHeader()), from: b, at: 2.5)
        _ = m.tick(at: 3.0)  // a expires with member-0
        let r1 = m.handle(Fixtures.result("member-1"), from: b, at: 3.1)
        XCTAssertEqual(Fixtures.completed(r1), ["member-1"])
        XCTAssertEqual(Fixtures.jobs(r1).map(\.jobId), ["member-0"])
        let r0 = m.handle(Fixtures.result("member-0"), from: b, at: 3.5)
        XCTAssertEqual(Fixtures.completed(r0), ["member-0"])
        XCTAssertEqual(Fixtures.jobs(r0).map(\.jobId), ["member-2"])
        // a comes back and delivers its stale copy of member-0.
        XCTAssertTrue(Fixtures.jobs(m.handle(Fixtures.ready(), from: a, at: 3.6)).isEmpty)
        let late = m.handle(Fixtures.result("member-0"), from: a, at: 3.7)
        XCTAssertEqual(Fixtures.completed(late), [])
        XCTAssertTrue(Fixtures.logs(late).contains { $0.contains("member-0") && $0.contains("late duplicate") })
        XCTAssertEqual(m.status.droppedMessages, 1)
        XCTAssertEqual(m.status.completed, ["member-0", "member-1"])
        XCTAssertEqual(m.phase, .running)
    }

    func testResultProgressAndFailedForAJobTheWorkerDoesNotHoldAreDropped() throws {
        let m = try machine(2)
        _ = m.handle(Fixtures.ready(), from: a, at: 0)  // member-0
        _ = m.handle(Fixtures.ready(), from: b, at: 0)  // member-1
        let wrong = m.handle(Fixtures.result("member-0"), from: b, at: 0.5)
        XCTAssertEqual(Fixtures.completed(wrong), [])
        XCTAssertTrue(Fixtures.logs(wrong).contains { $0.contains("does not hold") })
        XCTAssertTrue(
            m.handle(Fixtures.progress("member-0"), from: b, at: 0.6).allSatisfy {
                if case .progress = $0 { return false } else { return true }
            })
        _ = m.handle(Fixtures.failed("member-0"), from: b, at: 0.7)
        XCTAssertEqual(m.status.droppedMessages, 3)
        XCTAssertEqual(m.status.workers.map(\.jobId), ["member-0", "member-1"], "nothing moved")
        // A job id that is not in the plan at all is dropped the same way.
        XCTAssertEqual(Fixtures.completed(m.handle(Fixtures.result("nope"), from: a, at: 0.8)), [])
        // The right worker still completes its job.
        XCTAssertEqual(Fixtures.completed(m.handle(Fixtures.result("member-0"), from: a, at: 0.9)), ["member-0"])
    }

    func testProgressIsPassedOnAndShownInStatus() throws {
        let m = try machine(1)
        _ = m.handle(Fixtures.ready("gpu-less-box"), from: a, at: 0)
        let actions = m.handle(Fixtures.progress("member-0", epoch: 2), from: a, at: 0.5)
        guard
            case .progress(let w, let p)? = actions.first(where: {
                if case .progress = $0 { return true } else { return false }
            })
        else {
            return XCTFail("no progress action in \(actions)")
        }
        XCTAssertEqual(w, a)
        XCTAssertEqual(p.epoch, 2)
        let row = try XCTUnwrap(m.status.workers.first)
        XCTAssertEqual(row.host, "gpu-less-box")
        XCTAssertEqual(row.jobId, "member-0")
        XCTAssertEqual(row.attempt, 1)
        XCTAssertEqual(row.lastProgress?.epoch, 2)
        XCTAssertEqual(row.lastSeen, 0.5)
    }

    func testMessagesFromUnregisteredWorkersAreDroppedUntilReady() throws {
        let m = try machine(1)
        let actions = m.handle(.heartbeat(HeartbeatHeader()), from: c, at: 0)
        XCTAssertTrue(Fixtures.logs(actions).contains { $0.contains("READY") })
        XCTAssertTrue(m.status.workers.isEmpty)
        XCTAssertEqual(m.status.droppedMessages, 1)
    }

    func testFailedJobIsRetriedThenGivenUpAfterThirdFailureAndTheRunFinishesWithTheOthers() throws {
        let m = try machine(2)
        _ = m.handle(Fixtures.ready(), from: a, at: 0)  // member-0
        _ = m.handle(Fixtures.ready(), from: b, at: 0)  // member-1
        XCTAssertEqual(Fixtures.completed(m.handle(Fixtures.result("member-0"), from: a, at: 0.1)), ["member-0"])
        // member-1 fails twice and is handed out again each time, as a new attempt at the front.
        let f1 = m.handle(Fixtures.failed("member-1", "disk full"), from: b, at: 0.2)
        XCTAssertEqual(Fixtures.jobs(f1).map(\.jobId), ["member-1"])
        XCTAssertEqual(Fixtures.jobs(f1).map(\.attempt), [2])
        let holder = Fixtures.jobs(f1)[0].worker
        let f2 = m.handle(Fixtures.failed("member-1", "disk full"), from: holder, at: 0.3)
        XCTAssertEqual(Fixtures.jobs(f2).map(\.attempt), [3])
        let holder3 = Fixtures.jobs(f2)[0].worker
        let f3 = m.handle(Fixtures.failed("member-1", "disk full again"), from: holder3, at: 0.4)
        guard case .runIncomplete(let failed)? = f3.last else { return XCTFail("expected runIncomplete, got \(f3)") }
        let message = try XCTUnwrap(failed["member-1"])
        XCTAssertTrue(message.contains(holder3.description), message)
        XCTAssertTrue(message.contains("disk full again"), message)
        XCTAssertTrue(f3.contains(.jobFailed(jobId: "member-1", reason: message)))
        XCTAssertEqual(Set(Fixtures.recipients(f3, of: .disconnect)), [a, b])
        XCTAssertEqual(m.phase, .incomplete(failed))
        XCTAssertEqual(m.status.completed, ["member-0"])
        XCTAssertTrue(m.tick(at: 10).isEmpty, "a finished run does nothing more")
    }

    func testNonRetryableFailureGivesUpThatJobOnlyAndTheRunGoesOn() throws {
        let m = try machine(2)
        _ = m.handle(Fixtures.ready(), from: a, at: 0)
        let actions = m.handle(
            Fixtures.failed("member-0", "config names unknown layer", retryable: false), from: a, at: 0.1)
        XCTAssertTrue(
            actions.contains {
                if case .jobFailed("member-0", let r) = $0 { return r.contains("unknown layer") }
                return false
            })
        XCTAssertEqual(Fixtures.jobs(actions).map(\.jobId), ["member-1"], "the worker goes on with the next member")
        XCTAssertFalse(m.isFinished)
        let last = m.handle(Fixtures.result("member-1"), from: a, at: 0.2)
        guard case .runIncomplete(let failed)? = last.last else {
            return XCTFail("expected runIncomplete, got \(last)")
        }
        XCTAssertEqual(Array(failed.keys), ["member-0"])
        XCTAssertEqual(m.status.completed, ["member-1"])
    }

    func testExpiryIsNotAFailedAttempt() throws {
        let m = try machine(1, maxAttempts: 1)
        _ = m.handle(Fixtures.ready(), from: a, at: 0)
        _ = m.tick(at: 3)  // expired: attempt 2 but no failure counted
        let actions = m.handle(Fixtures.ready(), from: b, at: 3.1)
        XCTAssertEqual(Fixtures.jobs(actions).map(\.attempt), [2])
        XCTAssertEqual(m.phase, .running)
    }

    func testResumeSkipsCompletedJobs() throws {
        let m = try machine(3, completed: ["member-0", "member-2"])
        XCTAssertEqual(m.status.queued, ["member-1"])
        XCTAssertEqual(m.status.completed, ["member-0", "member-2"])
        let actions = m.handle(Fixtures.ready(), from: a, at: 0)
        XCTAssertEqual(Fixtures.jobs(actions).map(\.jobId), ["member-1"])
        let done = m.handle(Fixtures.result("member-1"), from: a, at: 1)
        XCTAssertEqual(done.last, .runComplete)
    }

    func testResumeWithEverythingCompleteEndsOnFirstTick() throws {
        let m = try machine(2, completed: ["member-0", "member-1"])
        XCTAssertEqual(m.tick(at: 0).last, .runComplete)
        XCTAssertEqual(m.phase, .complete)
    }

    func testInvalidMessagesAreCountedDroppedAndDoNotKeepWorkerAlive() throws {
        let m = try machine(1)
        _ = m.handle(Fixtures.ready(), from: a, at: 0)
        for t in [1.0, 2.0, 2.9] {
            let actions = m.handleInvalid(from: a, error: ProtocolError.unknownCommand("HELLO"), at: t)
            XCTAssertEqual(Fixtures.logs(actions).count, t == 1 ? 1 : 0, "one line per peer per interval")
            XCTAssertTrue(Fixtures.logs(actions).allSatisfy { $0.contains("HELLO") })
        }
        XCTAssertEqual(m.status.invalidMessages, 3)
        XCTAssertEqual(m.status.workers.first?.jobId, "member-0", "invalid messages change no state")
        _ = m.tick(at: 3.0)
        XCTAssertTrue(m.status.workers.isEmpty)
        XCTAssertEqual(m.status.queued, ["member-0"])
    }

    func testWorkerDisconnectRequeuesItsJob() throws {
        let m = try machine(2)
        _ = m.handle(Fixtures.ready(), from: a, at: 0)
        _ = m.handle(.disconnect(DisconnectHeader(reason: "stopping")), from: a, at: 0.5)
        XCTAssertTrue(m.status.workers.isEmpty)
        XCTAssertEqual(m.status.queued, ["member-0", "member-1"])
        XCTAssertEqual(Fixtures.jobs(m.handle(Fixtures.ready(), from: b, at: 0.6)).map(\.attempt), [2])
    }

    func testRunCompletesWhenEveryJobIsInAndDisconnectsWorkers() throws {
        let m = try machine(2)
        _ = m.handle(Fixtures.ready(), from: a, at: 0)
        _ = m.handle(Fixtures.ready(), from: b, at: 0)
        let first = m.handle(Fixtures.result("member-1"), from: b, at: 1)
        XCTAssertFalse(first.contains(.runComplete))
        let last = m.handle(Fixtures.result("member-0"), from: a, at: 2)
        XCTAssertEqual(Fixtures.completed(last), ["member-0"])
        XCTAssertEqual(Set(Fixtures.recipients(last, of: .disconnect)), [a, b])
        XCTAssertEqual(last.last, .runComplete)
        XCTAssertEqual(m.phase, .complete)
        XCTAssertEqual(m.status.completed, ["member-0", "member-1"])
        // Anything arriving afterwards is only logged.
        XCTAssertEqual(Fixtures.completed(m.handle(Fixtures.result("member-0"), from: a, at: 3)), [])
    }

    // MARK: quarantine

    private func rejected(_ actions: [CoordinatorAction]) -> [(WorkerID, RejectedHeader)] {
        actions.compactMap { if case .send(let w, .rejected(let h)) = $0 { return (w, h) } else { return nil } }
    }

    func testRejectedResultGoesToAnotherWorkerAndTheSenderIsToldWhy() throws {
        let m = try machine(2)
        let reason = "probabilities row 0 sums to 0.5"
        m.verifier = { _, _, worker in worker.host == "host-bad" ? .rejected(reason) : .accepted }
        _ = m.handle(Fixtures.ready("host-bad"), from: a, at: 0)  // member-0
        _ = m.handle(Fixtures.ready("host-b"), from: b, at: 0)  // member-1
        let actions = m.handle(Fixtures.result("member-0"), from: a, at: 0.1)
        XCTAssertEqual(rejected(actions).map(\.0), [a])
        XCTAssertEqual(
            rejected(actions).first?.1,
            RejectedHeader(
                jobId: "member-0", reason: reason, badResults: 1,
                refused: false))
        XCTAssertTrue(actions.contains(.rejected(jobId: "member-0", worker: a, host: "host-bad", reason: reason)))
        XCTAssertTrue(Fixtures.completed(actions).isEmpty)
        XCTAssertTrue(Fixtures.jobs(actions).isEmpty, "not back to the worker it was rejected from while b can take it")
        XCTAssertEqual(m.status.queued, ["member-0"])
        XCTAssertEqual(m.status.rejectedResults, 1)
        let next = m.handle(Fixtures.result("member-1"), from: b, at: 0.2)
        XCTAssertEqual(Fixtures.jobs(next).map(\.worker), [b])
        XCTAssertEqual(Fixtures.jobs(next).map(\.jobId), ["member-0"])
        XCTAssertEqual(Fixtures.jobs(next).map(\.attempt), [2])
        XCTAssertEqual(m.handle(Fixtures.result("member-0"), from: b, at: 0.3).last, .runComplete)
    }

    func testALoneWorkerMayRetryTheJobItWasRejectedFor() throws {
        let m = try machine(1)
        var calls = 0
        m.verifier = { _, _, _ in
            calls += 1; return calls == 1 ? .rejected("model file: too short") : .accepted
        }
        _ = m.handle(Fixtures.ready(), from: a, at: 0)
        let actions = m.handle(Fixtures.result("member-0"), from: a, at: 0.1)
        XCTAssertEqual(Fixtures.jobs(actions).map(\.attempt), [2])
        XCTAssertEqual(m.handle(Fixtures.result("member-0"), from: a, at: 0.2).last, .runComplete)
    }

    func testWorkerIsRefusedAfterMaxBadResultsEvenUnderANewRoutingId() throws {
        let m = try CoordinatorStateMachine(plan: Fixtures.plan(3), settings: CoordinatorSettings(maxBadResults: 2))
        let key = PeerInfo(curveKey: "K" + String(repeating: "x", count: 39), address: "10.0.0.9")
        m.verifier = { _, _, worker in worker.peer == key ? .rejected("spec differs") : .accepted }
        _ = m.handle(Fixtures.ready("evil"), from: a, peer: key, at: 0)  // member-0
        _ = m.handle(Fixtures.ready("honest"), from: b, at: 0)  // member-1
        let first = m.handle(Fixtures.result("member-0"), from: a, peer: key, at: 0.1)
        XCTAssertEqual(Fixtures.jobs(first).map(\.jobId), ["member-2"], "a takes the next job it was not rejected for")
        let second = m.handle(Fixtures.result("member-2"), from: a, peer: key, at: 0.2)
        XCTAssertEqual(rejected(second).first?.1.refused, true)
        XCTAssertTrue(Fixtures.recipients(second, of: .disconnect).contains(a))
        XCTAssertTrue(
            second.contains {
                if case .refused(a, "evil", _) = $0 { return true }; return false
            })
        XCTAssertEqual(m.status.workers.map(\.id), [b])
        XCTAssertEqual(m.status.refusedWorkers.count, 1)
        XCTAssertTrue(
            Fixtures.logs(second).contains {
                $0.contains("refused for the rest of the run") && $0.contains("10.0.0.9")
            })
        // The same key on a new connection is turned away; its messages change nothing.
        let again = m.handle(Fixtures.ready("evil"), from: c, peer: key, at: 0.3)
        XCTAssertEqual(Fixtures.recipients(again, of: .disconnect), [c])
        XCTAssertTrue(Fixtures.jobs(again).isEmpty)
        XCTAssertEqual(m.status.workers.map(\.id), [b])
        XCTAssertEqual(Set(m.status.queued), ["member-0", "member-2"])
    }

    func testBrokenResultFromTheHolderIsRejectedLikeOneThatFailsACheck() throws {
        let m = try machine(1)
        _ = m.handle(Fixtures.ready(), from: a, at: 0)
        let error = ProtocolError.invalidPayload(
            command: .result, field: "frame 3 (probabilities)",
            problem: "holds nan")
        let actions = m.handleInvalid(from: a, error: error, command: .result, at: 0.1)
        XCTAssertEqual(rejected(actions).first?.1.jobId, "member-0")
        XCTAssertTrue(rejected(actions).first?.1.reason.contains("holds nan") == true)
        XCTAssertEqual(Fixtures.jobs(actions).map(\.attempt), [2], "a lone worker gets the job again")
        XCTAssertEqual(m.status.invalidMessages, 1)
        // A broken RESULT naming another job (a late duplicate) does not cost the worker the job it holds.
        let late = m.handleInvalid(from: a, error: error, command: .result, jobId: "member-9", at: 0.15)
        XCTAssertTrue(rejected(late).isEmpty)
        XCTAssertEqual(m.status.workers.first?.jobId, "member-0")
        // From a worker holding nothing, a broken RESULT is only noise.
        let idle = try machine(1)
        _ = idle.handle(Fixtures.ready(), from: b, at: 0)
        _ = idle.handle(Fixtures.result("member-0"), from: b, at: 0.1)
        XCTAssertTrue(rejected(idle.handleInvalid(from: b, error: error, command: .result, at: 0.2)).isEmpty)
    }

    func testTenThousandGarbageMessagesMakeAFewLinesWithACount() throws {
        let m = try CoordinatorStateMachine(plan: Fixtures.plan(1), settings: CoordinatorSettings(logInterval: 10))
        var lines: [String] = []
        for i in 0..<10_000 {
            let error = ProtocolError.unknownCommand("X\(i)")
            lines += Fixtures.logs(m.handleInvalid(from: c, error: error, at: Double(i) / 10_000))
        }
        lines += Fixtures.logs(m.tick(at: 10.5))
        XCTAssertEqual(lines.count, 2, "\(lines)")
        XCTAssertTrue(lines[1].contains("9999 more"), lines[1])
        XCTAssertEqual(m.status.invalidMessages, 10_000)
        // A thousand peers with one message each share one summary line beyond the per-peer cap.
        for i in 0..<1000 {
            let error = ProtocolError.missingFrames(found: 1)
            lines += Fixtures.logs(m.handleInvalid(from: WorkerID("p\(i)"), error: error, at: 20))
        }
        lines += Fixtures.logs(m.tick(at: 31))
        XCTAssertLessThanOrEqual(lines.count, 2 + 64 + 1)
        XCTAssertTrue(lines.last?.contains("936 more") == true, "\(lines.last ?? "")")
    }

    func testPeerTextEscapesControlCharactersAndDirectionOverrides() {
        XCTAssertEqual(PeerText.escaped("host\u{1B}[2J\r\nfake line"), "host\\u{1b}[2J\\u{d}\\u{a}fake line")
        XCTAssertEqual(PeerText.escaped("a\u{202E}b\u{0}c\\"), "a\\u{202e}b\\u{0}c\\\\")
        XCTAssertEqual(PeerText.escaped("ünïcode ok"), "ünïcode ok")
        XCTAssertEqual(PeerText.escaped(String(repeating: "x", count: 10), limit: 4), "xxxx…")
    }
}
