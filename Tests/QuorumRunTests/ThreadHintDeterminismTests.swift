import Foundation
import XCTest
@testable import QuorumCluster
@testable import QuorumRun
import QuorumTraining
import QuorumCore
import QuorumTestSupport

/// A worker follows the coordinator's thread-count hints mid-job. With dense layers and batch norm, whose sums
/// do not depend on the thread count, the member is still the one the job's seed decides, bit for bit.
/// Convolutions too: their weight gradient runs on one thread, whatever the job's count.
final class ThreadHintDeterminismTests: XCTestCase {
    private var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("quorum-hint-\(UUID().uuidString)")
        try IDXFixture.write(scratch.appendingPathComponent("digits"), train: 256, test: 32, side: 12)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: scratch) }

    /// Trains one dense + batch norm job; `hint` gives the coordinator's hint after each progress report (by
    /// its index). Returns the output and the thread count each report found in use.
    private func job(model: String, epochs: Int) throws -> JobHeader {
        var config = TrainingConfig()
        config.data = scratch.appendingPathComponent("digits").path
        config.model = model
        config.epochs = epochs
        config.batchSize = 32
        config.validationSize = 0
        config.seed = 7
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return JobHeader(
            jobId: "member-0", memberIndex: 0, attempt: 1, threads: 1,
            config: try JSONValue(data: encoder.encode(config)))
    }

    private func train(
        model: String = "flatten dense(512) batchnorm relu dense(10)",
        hint: @escaping (Int) -> Int?
    ) throws -> (JobOutput, [Int]) {
        let header = try job(model: model, epochs: 4)
        let channel = WorkerChannel()
        let flag = try XCTUnwrap(channel.begin(header))
        let reporter = ProgressReporter(jobId: header.jobId, channel: channel, limits: ProtocolLimits())
        let runner = TrainingJobRunner()
        var seen: [Int] = []
        runner.onProgress = { _, _ in
            seen.append(ComputeThreads.current)
            channel.setThreadHint(hint(seen.count))
        }
        defer { ComputeThreads.set(1) }
        let output = try runner.run(JobAssignment(header), reporter: reporter, cancel: flag)
        return (output, seen)
    }

    func testDenseBatchNormJobWhoseThreadCountChangesMidTrainingGivesTheSameModelFile() throws {
        try assertHintsKeepTheBits(model: "flatten dense(512) batchnorm relu dense(10)")
    }

    func testConvolutionalJobWhoseThreadCountChangesMidTrainingGivesTheSameModelFile() throws {
        try assertHintsKeepTheBits(model: "conv3x3(16) batchnorm relu maxpool2 conv3x3(32) relu flatten dense(10)")
    }

    private func assertHintsKeepTheBits(model: String) throws {
        guard ProcessInfo.processInfo.activeProcessorCount >= 2 else {
            throw XCTSkip("a worker caps hints at its cores; this needs 2")
        }
        let (fixed, fixedSeen) = try train(model: model) { _ in nil }
        XCTAssertEqual(Set(fixedSeen), [1])
        // 2 threads after the first report, back to 1 after the second, and so on.
        let (varied, variedSeen) = try train(model: model) { $0 % 2 == 1 ? 2 : nil }
        XCTAssertEqual(Set(variedSeen), [1, 2], "the hint was not applied: \(variedSeen)")
        XCTAssertFalse(fixed.model.isEmpty)
        XCTAssertEqual(varied.model, fixed.model, "model files differ")
        XCTAssertEqual(varied.probabilities, fixed.probabilities)
        XCTAssertEqual(varied.validationLoss, fixed.validationLoss)
    }

    func testAWorkerWithAFixedThreadCountIgnoresHints() throws {
        let runner = TrainingJobRunner(threadOverride: 1)
        let header = try job(model: "flatten dense(10)", epochs: 2)
        let channel = WorkerChannel()
        let flag = try XCTUnwrap(channel.begin(header))
        channel.setThreadHint(2)
        var seen: [Int] = []
        runner.onProgress = { _, _ in seen.append(ComputeThreads.current) }
        defer { ComputeThreads.set(1) }
        let reporter = ProgressReporter(jobId: header.jobId, channel: channel, limits: ProtocolLimits())
        _ = try runner.run(JobAssignment(header), reporter: reporter, cancel: flag)
        XCTAssertEqual(Set(seen), [1])
    }
}
