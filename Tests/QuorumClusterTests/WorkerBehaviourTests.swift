import Foundation
import XCTest
@testable import QuorumCluster

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
        XCTAssertTrue(coordinator.logs.all.contains { $0.contains("DiskFull") && $0.contains("retrying") }, "\(coordinator.logs.all)")
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
            accepted.append(reporter.report(epoch: 1, epochs: 1, batch: 0, batches: 1, loss: .nan, accuracy: 0.5, imagesPerSecond: 1))
            accepted.append(reporter.report(epoch: 2, epochs: 1, batch: 0, batches: 1, loss: 1, accuracy: 0.5, imagesPerSecond: 1))
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
}
