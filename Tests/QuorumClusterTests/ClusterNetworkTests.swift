import Foundation
import XCTest
@testable import QuorumCluster
import QuorumTestSupport

final class ClusterNetworkTests: XCTestCase {
    private func complete(_ endpoint: String) throws {
        let coordinator = try Harness.Coordinator(jobs: 4, endpoint: endpoint)
        let run = coordinator.start()
        let (_, w1) = try Harness.startWorker(coordinator.endpoint, host: "one")
        let (_, w2) = try Harness.startWorker(coordinator.endpoint, host: "two")
        let outcome = run.wait(8)
        XCTAssertEqual(try outcome?.get(), .complete)
        XCTAssertEqual(try w1.wait(3)?.get(), .disconnected(reason: "run complete"))
        XCTAssertEqual(try w2.wait(3)?.get(), .disconnected(reason: "run complete"))
        let results = coordinator.completed.all
        XCTAssertEqual(results.map(\.0).sorted(), ["member-0", "member-1", "member-2", "member-3"])
        for (jobId, result) in results {
            let member = Int(jobId.dropFirst("member-".count))!
            XCTAssertEqual(result.model, Data("model-\(jobId)".utf8))
            XCTAssertEqual(result.header.classes, Harness.classes)
            XCTAssertEqual(result.header.history, .array([.object(["epoch": .integer(1), "loss": .number(0.5)])]))
            XCTAssertEqual(result.probabilities[member % Harness.classes], 1, "row 0 votes for the member's class")
            XCTAssertEqual(result.probabilities.reduce(0, +), Float(Harness.testCount))
        }
        XCTAssertEqual(coordinator.progress.all.count, 4)
        XCTAssertTrue(coordinator.progress.all.allSatisfy { $0.validationAccuracy == 0.85 })
        XCTAssertEqual(coordinator.server.machine.status.invalidMessages, 0)
    }

    func testTwoWorkersCompleteFourJobsOverTCP() throws {
        try complete("tcp://127.0.0.1:0")
    }

    func testTwoWorkersCompleteFourJobsOverIPC() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "quorum-ipc-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try complete("ipc://" + dir.appendingPathComponent("coordinator.sock").path)
    }

    func testGarbageWrongVersionAndBadShapeFromRawDealerAreDroppedAndRunCompletes() throws {
        let coordinator = try Harness.Coordinator(jobs: 2)
        let run = coordinator.start()
        let context = try ZMQContext()
        let raw = try Harness.rawDealer(context, coordinator.endpoint)
        defer { raw.close() }
        let codec = MessageCodec()
        try raw.send(frames: [Data([0xde, 0xad, 0xbe, 0xef])])
        try raw.send(frames: [Data("QUORUM/2".utf8), Data("READY".utf8), Data("{}".utf8)])
        try raw.send(frames: codec.encode(Fixtures.ready("raw")))
        let job = try XCTUnwrap(try Harness.awaitJob(raw))
        XCTAssertEqual(job.jobId, "member-0")
        // A RESULT whose probabilities frame is one float short of test_count × classes.
        var frames = codec.encode(Fixtures.result(job.jobId))
        frames[3] = frames[3].dropLast(4)
        try raw.send(frames: frames)
        // A broken RESULT from the job's holder is rejected, and the sender hears why.
        var reply: ProtocolMessage?
        while let received = try raw.receive(), reply == nil {
            if case .rejected = try codec.decode(received) { reply = try codec.decode(received) }
        }
        guard case .rejected(let rejection)? = reply else {
            return XCTFail("expected REJECTED, got \(String(describing: reply))")
        }
        XCTAssertEqual(rejection.jobId, job.jobId)
        XCTAssertTrue(rejection.reason.contains("probabilities"), rejection.reason)
        raw.close()  // and the raw worker goes silent: its job must be re-queued
        let (_, worker) = try Harness.startWorker(coordinator.endpoint, host: "real")
        XCTAssertEqual(try run.wait(8)?.get(), .complete)
        XCTAssertEqual(try worker.wait(3)?.get(), .disconnected(reason: "run complete"))
        XCTAssertEqual(coordinator.completed.all.map(\.0).sorted(), ["member-0", "member-1"])
        XCTAssertEqual(coordinator.server.machine.status.invalidMessages, 3)
        let logs = coordinator.logs.all.joined(separator: "\n")
        // One line for the first garbage; the wrong version from the same peer is counted for the summary.
        XCTAssertTrue(logs.contains("expected \"QUORUM/1\""), logs)
        XCTAssertFalse(logs.contains("QUORUM/2"), logs)
        XCTAssertTrue(logs.contains("RESULT for job member-0") && logs.contains("rejected"), logs)
    }

    func testTenThousandGarbageMessagesAndHostileHostNamesMakeAFewEscapedLines() throws {
        let coordinator = try Harness.Coordinator(jobs: 1)
        let run = coordinator.start()
        defer { coordinator.server.requestStop(); _ = run.wait(3) }
        let context = try ZMQContext()
        let raw = try Harness.rawDealer(context, coordinator.endpoint)
        defer { raw.close() }
        for i in 0..<10_000 { try raw.send(frames: [Data("garbage \(i)\u{1B}[2J".utf8)]) }
        try raw.send(frames: MessageCodec().encode(Fixtures.ready("evil\u{1B}]0;owned\u{7}\r\nhost")))
        try raw.send(frames: MessageCodec().encode(Fixtures.failed("member-0", "boom\u{1B}[31m\rfake line")))
        let deadline = Date().addingTimeInterval(5)
        while coordinator.server.machine.status.invalidMessages < 10_000 && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
        }
        Thread.sleep(forTimeInterval: 0.3)
        XCTAssertEqual(coordinator.server.machine.status.invalidMessages, 10_000)
        let logs = coordinator.logs.all
        XCTAssertLessThan(logs.count, 10, "\(logs)")
        XCTAssertFalse(logs.contains { $0.unicodeScalars.contains { $0.value < 0x20 } }, "\(logs)")
        XCTAssertTrue(logs.contains { $0.contains("evil\\u{1b}]0;owned\\u{7}\\u{d}\\u{a}host") }, "\(logs)")
        XCTAssertTrue(logs.contains { $0.contains("boom\\u{1b}[31m\\u{d}fake line") }, "\(logs)")
    }

    func testSilentWorkerMidJobIsExpiredAndItsJobGoesToTheOtherWorker() throws {
        let coordinator = try Harness.Coordinator(jobs: 2)
        let run = coordinator.start()
        let context = try ZMQContext()
        let raw = try Harness.rawDealer(context, coordinator.endpoint)
        try raw.send(frames: MessageCodec().encode(Fixtures.ready("doomed")))
        XCTAssertEqual(try Harness.awaitJob(raw)?.jobId, "member-0")
        raw.close()  // dies mid-job without a word
        let seen = Recorder<(String, Int)>()
        let (_, worker) = try Harness.startWorker(coordinator.endpoint, host: "survivor") { job, reporter, flag in
            seen.append((job.jobId, job.attempt))
            return try Harness.train(job, reporter, flag)
        }
        XCTAssertEqual(try run.wait(8)?.get(), .complete)
        XCTAssertEqual(try worker.wait(3)?.get(), .disconnected(reason: "run complete"))
        XCTAssertTrue(seen.all.contains { $0 == ("member-0", 2) }, "\(seen.all)")
        XCTAssertTrue(coordinator.logs.all.contains { $0.contains("expired") })
    }

    func testStoppedWorkerReportsFailedAndItsJobGoesToTheOtherWorker() throws {
        let coordinator = try Harness.Coordinator(jobs: 2)
        let run = coordinator.start()
        let started = DispatchSemaphore(value: 0)
        let cancelReason = Recorder<String?>()
        let (a, aRun) = try Harness.startWorker(coordinator.endpoint, host: "stopping") { job, _, flag in
            started.signal()
            let deadline = Date().addingTimeInterval(5)
            while !flag.isCancelled && Date() < deadline { Thread.sleep(forTimeInterval: 0.005) }
            cancelReason.append(flag.reason)
            throw PermanentJobError("interrupted")  // must not reach the coordinator: the job was cancelled
        }
        XCTAssertEqual(started.wait(timeout: .now() + 3), .success)
        a.requestStop()
        XCTAssertEqual(try aRun.wait(3)?.get(), .stopped)
        XCTAssertEqual(cancelReason.all, ["worker stopping"])
        let seen = Recorder<(String, Int)>()
        let (_, b) = try Harness.startWorker(coordinator.endpoint, host: "steady") { job, reporter, flag in
            seen.append((job.jobId, job.attempt))
            return try Harness.train(job, reporter, flag)
        }
        XCTAssertEqual(try run.wait(8)?.get(), .complete)
        XCTAssertEqual(try b.wait(3)?.get(), .disconnected(reason: "run complete"))
        // FAILED makes attempt 2, which may reach the stopping worker just before its DISCONNECT makes attempt 3.
        XCTAssertTrue(seen.all.contains { $0.0 == "member-0" && $0.1 >= 2 }, "\(seen.all)")
        let logs = coordinator.logs.all.joined(separator: "\n")
        XCTAssertTrue(logs.contains("worker stopping"), logs)
        XCTAssertFalse(logs.contains("interrupted"), logs)
    }

    func testWorkerReconnectsToARestartedCoordinator() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "quorum-ipc-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let endpoint = "ipc://" + dir.appendingPathComponent("c.sock").path
        let first = try Harness.Coordinator(jobs: 1, endpoint: endpoint)
        let firstRun = first.start()
        let started = DispatchSemaphore(value: 0)
        let reasons = Recorder<String?>()
        let (_, worker) = try Harness.startWorker(endpoint, host: "patient") { job, reporter, flag in
            if reasons.all.isEmpty {
                // First attempt: hang until the worker gives up on the vanished coordinator.
                started.signal()
                let deadline = Date().addingTimeInterval(5)
                while !flag.isCancelled && Date() < deadline { Thread.sleep(forTimeInterval: 0.005) }
                reasons.append(flag.reason)
                throw CancellationError()
            }
            reasons.append(nil)
            return try Harness.train(job, reporter, flag)
        }
        XCTAssertEqual(started.wait(timeout: .now() + 3), .success)
        first.server.requestStop()
        XCTAssertEqual(try firstRun.wait(3)?.get(), .stopped)
        let second = try Harness.Coordinator(jobs: 1, endpoint: endpoint)
        let secondRun = second.start()
        XCTAssertEqual(try secondRun.wait(8)?.get(), .complete)
        XCTAssertEqual(try worker.wait(3)?.get(), .disconnected(reason: "run complete"))
        XCTAssertEqual(reasons.all, ["lost the coordinator", nil])
        XCTAssertEqual(second.completed.all.map(\.0), ["member-0"])
    }
}
