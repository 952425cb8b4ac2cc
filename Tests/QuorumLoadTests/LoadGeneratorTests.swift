import Foundation
import QuorumCluster
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
import QuorumEnsemble
import QuorumLoad
import QuorumMetrics
import QuorumTestSupport
import QuorumTraining
import XCTest
@testable import QuorumRun

/// A small version of the scaling measurement (scripts/scale.sh): 50 simulated workers serve a 200-member run
/// on loopback. No live worker may be expired, every member must be stored, and the streamed vote of the
/// stored members must be the in-memory vote.
final class LoadGeneratorTests: XCTestCase {
    private var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
            "quorum-load-\(UUID().uuidString.prefix(8))")
        try IDXFixture.write(scratch.appendingPathComponent("digits"))
    }

    override func tearDown() { try? FileManager.default.removeItem(at: scratch) }

    /// Serves `members` members to `load`'s simulated workers; returns the run, the coordinator's counters and
    /// the load test's report.
    private func serve(
        members: Int, serverSettings: CoordinatorServerSettings = CoordinatorServerSettings(),
        prepare: (EnsembleRun) throws -> Void = { _ in }, load: (String) -> LoadTestSettings
    ) throws -> (
        EnsembleRun, CoordinatorCounters, LoadTestReport, CoordinatorOutcome
    ) {
        var base = TrainingConfig()
        base.data = scratch.appendingPathComponent("digits").path
        base.model = "flatten dense(10)"
        base.epochs = 1
        base.batchSize = 8
        base.validationSize = 0
        let plan = try RunPlan.make(base: base, members: members, augmentation: "none", runId: "load")
        let directory = try RunDirectory(path: scratch.appendingPathComponent("run").path)
        try directory.writePlan(plan)
        let run = EnsembleRun(directory: directory, plan: plan, data: try PreparedData.load(for: base))
        try prepare(run)
        let settings = CoordinatorSettings(heartbeatInterval: 0.5, liveness: 4)
        let report = Handoff<LoadTestReport>(), loadError = Handoff<Error>()
        let done = DispatchSemaphore(value: 0)
        let outcome = try run.serve(
            endpoint: "tcp://127.0.0.1:0", settings: settings, serverSettings: serverSettings,
            onBound: { endpoint in
                let generator = try LoadGenerator(settings: load(endpoint))
                Thread {
                    do { report.value = try generator.run() } catch { loadError.value = error }
                    done.signal()
                }.start()
            })
        XCTAssertEqual(done.wait(timeout: .now() + 60), .success, "the load test did not end")
        if let error = loadError.value { throw error }
        return (run, try XCTUnwrap(run.counters), try XCTUnwrap(report.value), outcome)
    }

    func testFiftyWorkersStoreTwoHundredMembersAndNoLiveWorkerExpires() throws {
        let (run, counters, report, outcome) = try serve(members: 200) { endpoint in
            LoadTestSettings(
                endpoint: endpoint, workers: 50, jobSeconds: 0.4, heartbeatInterval: 0.5, liveness: 4, duration: 60)
        }
        XCTAssertEqual(outcome, .complete)
        XCTAssertEqual(counters.expiredWorkers, 0, "a live worker was expired")
        XCTAssertEqual(report.silentReconnects, 0, "a live worker heard nothing for the liveness window")
        XCTAssertEqual(counters.completedJobs, 200)
        XCTAssertEqual(run.directory.completedJobs().count, 200, "every member is stored")
        XCTAssertEqual(report.finished, 50, "every worker heard that the run is complete")

        let data = run.data
        let summary = try RunSummary(directory: run.directory, plan: run.plan)
            .finish(data: data, command: "quorum loadtest", wallSeconds: nil)
        let members = try run.plan.members.map { try run.directory.loadMember($0.jobId) }
        let described = summary.comparison.members.enumerated().map { i, row in
            ManifestMember(
                name: row.name, file: "", seed: row.seed, augmentation: row.augmentation,
                validationAccuracy: members[i].validationAccuracy, testAccuracy: members[i].testAccuracy,
                weight: Float(members[i].validationAccuracy ?? 1))
        }
        var expected = try EnsembleComparison.evaluate(
            members: described, predictions: members.map { try $0.predictions() }, labels: data.test.labels)
        XCTAssertEqual(summary.comparison.meanDisagreement, expected.meanDisagreement, accuracy: 1e-12)
        expected.meanDisagreement = summary.comparison.meanDisagreement
        XCTAssertEqual(summary.comparison, expected, "the streamed vote differs from the in-memory vote")
    }

    func testVanishedWorkersJobsAreRequeuedAndBadResultsRejected() throws {
        let (run, counters, report, outcome) = try serve(members: 40) { endpoint in
            LoadTestSettings(
                endpoint: endpoint, workers: 20, jobSeconds: 0.4, heartbeatInterval: 0.5, liveness: 4,
                vanishShare: 0.1, badShare: 0.1, duration: 60)
        }
        XCTAssertEqual(outcome, .complete)
        XCTAssertEqual(report.vanished, 2)
        XCTAssertEqual(counters.expiredWorkers, 2, "exactly the vanished workers expire")
        XCTAssertEqual(report.requeueSeconds.count, 2, "each vanished worker's job reached another worker")
        XCTAssertGreaterThan(report.rejected, 0)
        XCTAssertEqual(report.refused, 2, "the two workers sending bad results are refused")
        XCTAssertEqual(run.directory.completedJobs().count, 40)
    }

    func testSimulatedWorkersSpeakCurveToACoordinatorWithAnAllowList() throws {
        let server = try CurveKeyPair.generate(), workers = try CurveKeyPair.generate()
        var settings = CoordinatorServerSettings()
        settings.curveSecretKey = server.secretKey
        settings.authorizedKeys = [workers.publicKey]
        let (run, counters, report, outcome) = try serve(members: 10, serverSettings: settings) { endpoint in
            LoadTestSettings(
                endpoint: endpoint, workers: 5, jobSeconds: 0.2, heartbeatInterval: 0.5, liveness: 4,
                curve: LoadTestCurve(serverKey: server.publicKey, keys: workers), duration: 60)
        }
        XCTAssertEqual(outcome, .complete)
        XCTAssertEqual(counters.expiredWorkers, 0)
        XCTAssertEqual(report.finished, 5)
        XCTAssertEqual(run.directory.completedJobs().count, 10)
    }

    func testMetricsEndpointCountsTheRunAndWantsItsToken() throws {
        var listener: MetricsListener?
        var before = ""
        let (_, _, _, outcome) = try serve(
            members: 20,
            prepare: { run in
                let metrics = CoordinatorMetrics(monitor: run.monitor)
                listener = try MetricsListener(address: "127.0.0.1:0", token: "s3cret", render: { metrics.render() })
                before = try Self.scrape(listener!.address, token: "s3cret").body
            },
            load: { endpoint in
                LoadTestSettings(endpoint: endpoint, workers: 5, jobSeconds: 0.2, heartbeatInterval: 0.5, liveness: 4)
            })
        defer { listener?.close() }
        XCTAssertEqual(outcome, .complete)
        let address = try XCTUnwrap(listener?.address)
        XCTAssertTrue(before.contains("quorum_jobs_done 0.0\n"), before)
        let after = try Self.scrape(address, token: "s3cret")
        XCTAssertEqual(after.status, 200)
        for line in ["quorum_jobs_done 20.0", "quorum_jobs_completed_total 20", "quorum_jobs_total 20.0"] {
            XCTAssertTrue(after.body.contains(line + "\n"), "\(line) missing from\n\(after.body)")
        }
        let received = after.body.split(separator: "\n").first { $0.hasPrefix("quorum_messages_received_total ") }
        XCTAssertGreaterThanOrEqual(Int(received?.split(separator: " ").last ?? "") ?? 0, 25, "5 READY, 20 RESULTs")
        XCTAssertEqual(try Self.scrape(address, token: nil).status, 401)
        XCTAssertEqual(try Self.scrape(address, token: "wrong").status, 401)
    }

    func testMetricsEndpointOnATakenPortOrABadAddressSaysWhich() throws {
        let first = try MetricsListener(address: "127.0.0.1:0", render: { "quorum_up 1\n" })
        defer { first.close() }
        XCTAssertEqual(try Self.scrape(first.address, token: nil).body, "quorum_up 1\n")
        XCTAssertThrowsError(try MetricsListener(address: first.address, render: { "" })) { error in
            guard case MetricsError.cannotListen(let address, _) = error else {
                return XCTFail("expected cannotListen, got \(error)")
            }
            XCTAssertEqual(address, first.address)
        }
        XCTAssertThrowsError(try MetricsListener(address: "example.org:9464", render: { "" })) { error in
            XCTAssertEqual(error as? MetricsError, .badAddress("example.org:9464"))
        }
    }

    /// GETs /metrics from `address` with a bearer token when given: status and body.
    private static func scrape(_ address: String, token: String?) throws -> (status: Int, body: String) {
        var request = URLRequest(url: URL(string: "http://\(address)/metrics")!)
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        let result = Handoff<(Int, String)>()
        let done = DispatchSemaphore(value: 0)
        URLSession.shared.dataTask(with: request) { data, response, _ in
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            result.value = (status, String(decoding: data ?? Data(), as: UTF8.self))
            done.signal()
        }.resume()
        _ = done.wait(timeout: .now() + 10)
        return try XCTUnwrap(result.value)
    }
}

/// A value one thread sets and another reads after a semaphore says it is there.
private final class Handoff<T>: @unchecked Sendable {
    var value: T?
}
