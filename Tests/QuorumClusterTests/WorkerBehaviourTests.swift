import Foundation
import XCTest
@testable import QuorumCluster
import QuorumTestSupport

final class WorkerBehaviourTests: XCTestCase {
    private struct DiskFull: Error {}

    func testBackoffDoublesToTheCapAndResets() {
        var b = ReconnectBackoff(initial: 1, maximum: 32)
        XCTAssertEqual((0..<8).map { _ in b.next() }, [1, 2, 4, 8, 16, 32, 32, 32])
        b.reset()
        XCTAssertEqual(b.next(), 1)
    }

    func testThrownErrorIsReportedRetryableAndTheJobIsRetried() throws {
        let coordinator = try Harness.Coordinator(jobs: 1)
        let run = coordinator.start()
        let attempts = Recorder<Int>()
        let (_, worker) = try Harness.startWorker(coordinator.endpoint, host: "flaky") { job, reporter, flag in
            attempts.append(job.attempt)
            if job.attempt == 1 { throw DiskFull() }
            return try Harness.train(job, reporter, flag)
        }
        XCTAssertEqual(try run.wait(8)?.get(), .complete)
        XCTAssertEqual(try worker.wait(3)?.get(), .disconnected(reason: "run complete"))
        XCTAssertEqual(attempts.all, [1, 2])
        XCTAssertTrue(
            coordinator.logs.all.contains { $0.contains("DiskFull") && $0.contains("retrying") },
            "\(coordinator.logs.all)")
    }

    func testInvalidTrainingOutputGivesUpTheJobWithoutRetry() throws {
        let coordinator = try Harness.Coordinator(jobs: 1)
        let run = coordinator.start()
        let (_, worker) = try Harness.startWorker(coordinator.endpoint, host: "broken") { job, _, _ in
            var out = Harness.output(job)
            out.probabilities[0] = .nan
            return out
        }
        guard case .incomplete(let failed)? = try run.wait(8)?.get(), let message = failed["member-0"] else {
            return XCTFail("the job should be given up")
        }
        XCTAssertTrue(message.contains("invalid result"), message)
        XCTAssertEqual(try worker.wait(3)?.get(), .disconnected(reason: "run complete"))
        XCTAssertTrue(coordinator.completed.all.isEmpty)
    }

    func testProgressReporterRefusesValuesOutsideTheProtocol() throws {
        let coordinator = try Harness.Coordinator(jobs: 1)
        let run = coordinator.start()
        let accepted = Recorder<Bool>()
        let (_, worker) = try Harness.startWorker(coordinator.endpoint, host: "p") { job, reporter, flag in
            accepted.append(
                reporter.report(
                    epoch: 1, epochs: 1, batch: 0, batches: 1, loss: .nan, accuracy: 0.5, imagesPerSecond: 1))
            accepted.append(
                reporter.report(epoch: 2, epochs: 1, batch: 0, batches: 1, loss: 1, accuracy: 0.5, imagesPerSecond: 1))
            return try Harness.train(job, reporter, flag)
        }
        XCTAssertEqual(try run.wait(8)?.get(), .complete)
        XCTAssertEqual(try worker.wait(3)?.get(), .disconnected(reason: "run complete"))
        XCTAssertEqual(accepted.all, [false, false])
        XCTAssertEqual(coordinator.progress.all.count, 1, "only the valid report from Harness.train arrives")
        XCTAssertEqual(coordinator.server.machine.status.invalidMessages, 0)
    }

    func testCurveEncryptedRunCompletes() throws {
        let server = try CurveKeyPair.generate(), client = try CurveKeyPair.generate()
        let coordinator = try Harness.Coordinator(jobs: 2, curveSecretKey: server.secretKey)
        let run = coordinator.start()
        var settings = Harness.fastWorker
        settings.curveServerKey = server.publicKey
        settings.curveKeys = client
        let (_, worker) = try Harness.startWorker(coordinator.endpoint, host: "secure", settings: settings)
        XCTAssertEqual(try run.wait(8)?.get(), .complete)
        XCTAssertEqual(try worker.wait(3)?.get(), .disconnected(reason: "run complete"))
        XCTAssertEqual(coordinator.completed.all.count, 2)
    }

    /// Without keys against a CURVE coordinator the handshake can never succeed: the worker stops after
    /// the handshake timeout, naming the likely cause, instead of reconnecting forever.
    func testWorkerWithoutKeysAgainstACurveCoordinatorStopsNamingCurve() throws {
        let server = try CurveKeyPair.generate()
        let coordinator = try Harness.Coordinator(jobs: 1, curveSecretKey: server.secretKey)
        let run = coordinator.start()
        defer { coordinator.server.requestStop(); _ = run.wait(5) }
        var settings = Harness.fastWorker
        settings.handshakeTimeout = 1
        let started = MonotonicClock.now()
        let (_, worker) = try Harness.startWorker(coordinator.endpoint, host: "plain", settings: settings)
        guard case .failure(let error)? = worker.wait(10) else { return XCTFail("the worker should give up") }
        XCTAssertGreaterThanOrEqual(MonotonicClock.now() - started, 1)
        guard case .curveRequired(_, _, let detail)? = error as? WorkerError else { return XCTFail("\(error)") }
        XCTAssertTrue("\(error)".contains("--curve-key") && "\(error)".contains("--server-key"), "\(error)")
        XCTAssertTrue(detail.contains("security mechanism") || detail.contains("handshake"), detail)
    }

    func testSocketOptionsBoundFramesToTheLargestLegalOne() throws {
        var settings = WorkerSettings(heartbeatInterval: 2, liveness: 3, handshakeTimeout: 7)
        settings.limits.maxChunkBytes = 8 << 20
        let options = WorkerSocketOptions(settings)
        XCTAssertEqual(options.maxFrameBytes, (8 << 20) + WorkerSocketOptions.margin)
        XCTAssertEqual(options.handshakeMilliseconds, 7000)
        XCTAssertEqual(options.heartbeatMilliseconds, 2000)
        XCTAssertEqual(options.heartbeatTimeoutMilliseconds, 6000)
        // Applied to a real socket, even with a liveness far beyond what libzmq's TTL can hold.
        let context = try ZMQContext()
        let socket = try context.socket(.dealer)
        defer { socket.close() }
        XCTAssertNoThrow(try options.apply(to: socket))
        XCTAssertNoThrow(
            try WorkerSocketOptions(WorkerSettings(heartbeatInterval: 10, liveness: 1000)).apply(to: socket))
    }

    func testRepeatedInvalidMessagesGiveOneLinePerIntervalWithACount() {
        var log = InvalidMessageLog(interval: 5)
        XCTAssertEqual(log.note("bad", at: 0), "invalid message from the coordinator dropped: bad")
        XCTAssertNil(log.note("bad", at: 1))
        XCTAssertNil(log.note("worse", at: 4))
        XCTAssertEqual(
            log.note("worst", at: 5.5), "3 more invalid messages from the coordinator dropped; the last: worst")
    }

    func testPeerTextEscapesControlCharacters() {
        XCTAssertEqual(PeerText.escaped("a\u{1b}[2J\r\n\u{0}b\u{9b}"), "a\\u{1b}[2J\\u{d}\\u{a}\\u{0}b\\u{9b}")
        XCTAssertEqual(PeerText.escaped(String(repeating: "x", count: 10), limit: 4), "xxxx…")
        XCTAssertEqual(PeerText.escaped("Zoë 日本"), "Zoë 日本")
    }
}
