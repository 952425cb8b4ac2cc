import Foundation
import QuorumCore
import QuorumData
import QuorumTraining
import XCTest
@testable import QuorumCluster
@testable import QuorumRun

/// `TrainingJobRunner`, the job runner of `quorum worker`, driven directly: a JOB's config in, a RESULT's parts
/// out, and a permanent failure that names the problem for a job no retry can fix.
final class TrainingJobRunnerTests: XCTestCase {
    private var fixture: RunFixture!

    override func setUpWithError() throws { fixture = try RunFixture("job-runner") }
    override func tearDown() { fixture.remove() }

    /// Runs one job whose config is `json`, as a worker's training thread would.
    private func run(_ json: Data, runner: TrainingJobRunner = TrainingJobRunner()) throws -> JobOutput {
        let header = JobHeader(
            jobId: "member-00", memberIndex: 0, attempt: 1, threads: 1,
            config: try JSONValue(data: json))
        let channel = WorkerChannel()
        let flag = try XCTUnwrap(channel.begin(header))
        let reporter = ProgressReporter(jobId: header.jobId, channel: channel, limits: ProtocolLimits())
        return try runner.run(JobAssignment(header), reporter: reporter, cancel: flag)
    }

    /// The message of the permanent failure `json` gives.
    private func failure(_ json: Data) -> String {
        do {
            _ = try run(json)
            return "no error"
        } catch let error as PermanentJobError {
            return error.message
        } catch {
            return "not permanent: \(error)"
        }
    }

    func testAJobTrainsAndPacksItsResult() throws {
        let runner = TrainingJobRunner()
        var reports = 0
        runner.onProgress = { job, _ in
            XCTAssertEqual(job, "member-00"); reports += 1
        }
        let output = try run(RunFixture.wireJSON(fixture.base), runner: runner)
        XCTAssertGreaterThan(reports, 0)
        XCTAssertEqual(output.testCount, 12)
        XCTAssertEqual(output.classes, fixture.classes)
        XCTAssertEqual(output.probabilities.count, 12 * fixture.classes)
        for row in 0..<12 {
            let sum = output.probabilities[row * fixture.classes..<(row + 1) * fixture.classes].reduce(0, +)
            XCTAssertEqual(sum, 1, accuracy: 1e-4)
        }
        let (model, metadata) = try ModelFile.load(data: output.model, path: "result")
        let planned = try ModelSpec(parsing: "flatten dense(10)", inputShape: [6, 6, 1], classes: fixture.classes)
        XCTAssertEqual(model.spec.layers, planned.layers)
        XCTAssertEqual(metadata.spec.inputShape, [6, 6, 1])
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        XCTAssertEqual(try decoder.decode([EpochStats].self, from: output.history).map(\.epoch), [1])
        // Same job, same bits: a job re-run on another worker gives the same member.
        XCTAssertEqual(try run(RunFixture.wireJSON(fixture.base)).model, output.model)
    }

    func testAConfigThatDoesNotDecodeNamesTheField() throws {
        var object = try XCTUnwrap(
            JSONSerialization.jsonObject(with: RunFixture.wireJSON(fixture.base))
                as? [String: Any])
        object["batch_size"] = "eight"
        let message = failure(try JSONSerialization.data(withJSONObject: object))
        XCTAssertTrue(message.contains("field batch_size"), message)
        XCTAssertTrue(message.contains("do not decode"), message)
    }

    func testJobsNoRetryCouldFixArePermanentFailures() throws {
        var settings = fixture.base
        settings.epochs = 0
        XCTAssertTrue(failure(try RunFixture.wireJSON(settings)).contains("epochs"))
        var missing = fixture.base
        missing.data = fixture.scratch.appendingPathComponent("absent").path
        XCTAssertTrue(failure(try RunFixture.wireJSON(missing)).contains("cannot load data"))
        var huge = fixture.base
        huge.model = "flatten dense(8192) dense(10)"
        huge.batchSize = 65536
        XCTAssertTrue(failure(try RunFixture.wireJSON(huge)).contains("activations per batch"))
    }
}
