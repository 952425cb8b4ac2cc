import Foundation
import Logging
import XCTest
@testable import QuorumCluster
@testable import QuorumRun
import QuorumTraining
import QuorumTestSupport

/// A hand-driven ROUTER that plays a broken or hostile coordinator against a real worker: each case is a JOB
/// (or a DATA_MANIFEST answering the worker's request) that must end in a clear FAILED, with the worker
/// alive for the next case.
final class MaliciousCoordinatorTests: XCTestCase {
    private var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("quorum-hostile-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: scratch) }

    private struct Timeout: Error, CustomStringConvertible {
        var description: String { "no matching message from the worker within 20 s" }
    }

    /// The ROUTER, speaking the protocol by hand; it heartbeats the one worker while it waits.
    private final class RawCoordinator {
        let context: ZMQContext
        let socket: ZMQSocket
        let endpoint: String
        let codec = MessageCodec()
        var worker: Data?
        private var lastBeat = 0.0

        init() throws {
            context = try ZMQContext()
            socket = try context.socket(.router)
            try socket.setLinger(0)
            try socket.bind("tcp://127.0.0.1:0")
            endpoint = try socket.lastEndpoint()
        }

        func send(_ message: ProtocolMessage) throws {
            _ = try socket.send(frames: [worker!] + codec.encode(message))
        }

        func send(frames: [Data]) throws { _ = try socket.send(frames: [worker!] + frames) }

        /// The next message from the worker that `match` accepts (others are answered by `other`), within 20 s.
        func next<T>(_ match: (ProtocolMessage) -> T?, other: (ProtocolMessage) throws -> Void = { _ in }) throws -> T {
            var poller = ZMQPoller(sockets: [socket])
            let deadline = MonotonicClock.now() + 20
            while MonotonicClock.now() < deadline {
                if worker != nil, MonotonicClock.now() - lastBeat > 0.2 {
                    try send(.heartbeat(HeartbeatHeader()))
                    lastBeat = MonotonicClock.now()
                }
                guard try poller.poll(timeout: 0.05)[0] else { continue }
                while let frames = try socket.receive(dontWait: true) {
                    worker = frames[0]
                    let message = try codec.decode(Array(frames.dropFirst()))
                    if let value = match(message) { return value }
                    try other(message)
                }
            }
            throw Timeout()
        }

        /// Sends `job` and returns the FAILED the worker answers with, answering DATA_REQUESTs with `data`.
        func failedAnswer(
            to job: JobHeader,
            data: (DataRequestHeader) throws -> Void = { _ in }
        ) throws -> FailedHeader {
            try send(.job(job))
            return try next(
                { if case .failed(let h) = $0 { return h } else { return nil } },
                other: { message in
                    if case .dataRequest(let request) = message { try data(request) }
                    if case .result = message { XCTFail("job \(job.jobId) should not produce a result") }
                })
        }
    }

    private func job(_ id: String, _ config: [String: JSONValue]) -> JobHeader {
        JobHeader(jobId: id, memberIndex: 0, attempt: 1, threads: 1, config: .object(config))
    }

    /// A complete job config as a coordinator sends it (snake_case keys), with `changes` applied.
    private func config(_ changes: [String: JSONValue]) throws -> [String: JSONValue] {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        guard case .object(let base) = try JSONValue(data: encoder.encode(TrainingConfig())) else { return changes }
        return base.merging(changes) { $1 }
    }

    private static let settings = WorkerSettings(
        heartbeatInterval: 0.2, liveness: 25, reconnectInitial: 0.1,
        reconnectMax: 0.4, pollInterval: 0.01)

    /// A real worker (the training runner of `quorum worker`) against `coordinator`, logging into `logs`.
    private func startWorker(
        _ coordinator: RawCoordinator, cache: DatasetCache?,
        logs: Recorder<String>,
        entries: Recorder<(line: String, metadata: Logger.Metadata)>? = nil
    )
        throws -> Background<WorkerExit>
    {
        var settings = Self.settings
        settings.dataCache = cache
        let runner = TrainingJobRunner(logger: .recording(logs, entries: entries))
        let client = try WorkerClient(
            endpoint: coordinator.endpoint, info: Harness.info("target"), settings: settings,
            logger: .recording(logs, entries: entries), runner: runner)
        runner.fetcher = client.datasets
        return Background("worker") { try client.run() }
    }

    func testHostileJobsEachGetAClearPermanentFailureAndTheWorkerStaysAlive() throws {
        let data = scratch.appendingPathComponent("digits")
        try IDXFixture.write(data)
        let secret = scratch.appendingPathComponent("secret")
        try Data("SECRETS!and more of the file".utf8).write(to: secret)
        let coordinator = try RawCoordinator()
        let logs = Recorder<String>()
        let entries = Recorder<(line: String, metadata: Logger.Metadata)>()
        let worker = try startWorker(coordinator, cache: nil, logs: logs, entries: entries)
        _ = try coordinator.next { if case .ready(let h) = $0 { return h } else { return nil } }
        let base = try config([
            "data": .string(data.path), "epochs": .integer(1), "validation_size": .integer(0),
            "batch_size": .integer(8)
        ])
        func with(_ extra: [String: JSONValue]) -> [String: JSONValue] { base.merging(extra) { $1 } }
        func teacher(_ path: String, members: [String]? = nil) -> JSONValue {
            var fields: [String: JSONValue] = [
                "teacher": .string(path), "temperature": .number(2), "alpha": .number(0.5)
            ]
            if let members { fields["members"] = .array(members.map { .string($0) }) }
            return .object(fields)
        }
        // Each case: the config, and what the FAILED text must name.
        let cases: [(String, [String: JSONValue], String)] = [
            ("wide", with(["model": .string("flatten dense(1000000000)")]), "1000000000"),
            ("classes", with(["model": .string("mlp"), "num_classes": .integer(1_000_000_000)]), "num_classes"),
            ("params", with(["model": .string("flatten dense(65536) dense(65536) dense(10)")]), "parameters"),
            ("typo", with(["batch_size": .string("many")]), "field batch_size must be Int"),
            ("missing", base.filter { $0.key != "optimizer" }, "field optimizer is missing"),
            ("shadow", with(["init_from": .string(secret.path), "epochs": .integer(0)]), "init_from"),
            ("device", with(["init_from": .string("/dev/zero"), "epochs": .integer(0)]), "init_from"),
            ("teacher", with(["distillation": teacher(secret.path)]), "distillation.teacher"),
            ("teacher-device", with(["distillation": teacher("/dev/zero")]), "distillation.teacher"),
            (
                "teacher-member", with(["distillation": teacher(data.path, members: [secret.path])]),
                "distillation.teacher"
            ),
            (
                "teacher-member-device", with(["distillation": teacher(data.path, members: ["/dev/zero"])]),
                "distillation.teacher"
            ),
            (
                "endless", with(["data": .string("train=/dev/zero:/dev/zero,test=/dev/zero:/dev/zero")]),
                "not a regular file"
            ),
            ("\u{1b}[2Jjob\r\n", with(["model": .string("flatten dense(1000000000)")]), "1000000000")
        ]
        for (id, config, expected) in cases {
            let failed = try coordinator.failedAnswer(to: job(id, config))
            XCTAssertEqual(failed.jobId, id)
            XCTAssertFalse(failed.retryable, "\(id): the same job fails the same way everywhere: \(failed.error)")
            XCTAssertTrue(failed.error.contains(expected), "\(id): \(failed.error)")
            XCTAssertFalse(failed.error.contains("SECRETS"), failed.error)
            // The first 8 bytes as the little-endian header length a safetensors reader would report.
            let leaked = Data("SECRETS!".utf8).withUnsafeBytes {
                UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self))
            }
            XCTAssertFalse(failed.error.contains("\(leaked)"), "\(id): \(failed.error)")
        }
        // `num_classes: 1e9` exactly as a hand-written JSON header would say it.
        let written = try JSONEncoder().encode(job("exponent", with(["num_classes": .integer(1_000_000_000)])))
        let header = String(decoding: written, as: UTF8.self).replacingOccurrences(of: "1000000000", with: "1e9")
        XCTAssertTrue(header.contains("1e9"), header)
        try coordinator.send(frames: [Data(Envelope.protocolId.utf8), Data("JOB".utf8), Data(header.utf8)])
        let exponent = try coordinator.next { if case .failed(let h) = $0 { return h } else { return nil } }
        XCTAssertFalse(exponent.retryable)
        XCTAssertTrue(exponent.error.contains("num_classes"), exponent.error)
        try coordinator.send(.disconnect(DisconnectHeader(reason: "run complete")))
        XCTAssertEqual(
            try worker.wait(5)?.get(), .disconnected(reason: "run complete"),
            "the worker survived every case")
        let lines = logs.all
        XCTAssertFalse(lines.contains { $0.unicodeScalars.contains { PeerText.isControl($0) } }, "\(lines)")
        XCTAssertTrue(
            lines.contains { $0.contains("\\u{1b}[2Jjob\\u{d}\\u{a}") },
            "the hostile job id is logged escaped: \(lines)")
        // Lines about a job carry its id as metadata, escaped like the text: the runner's (what was wrong with
        // an `init_from` file) as well as the client's.
        let jobs = entries.all.compactMap { $0.metadata["job"].map { "\($0)" } }
        XCTAssertTrue(jobs.contains("shadow"), "\(jobs)")
        XCTAssertTrue(jobs.contains("\\u{1b}[2Jjob\\u{d}\\u{a}"), "\(jobs)")
        XCTAssertFalse(jobs.contains { $0.unicodeScalars.contains { PeerText.isControl($0) } }, "\(jobs)")
        let shadow = entries.all.filter { $0.line.hasPrefix("error: job shadow:") }
        XCTAssertTrue(
            !shadow.isEmpty && shadow.allSatisfy { "\($0.metadata["job"] ?? "")" == "shadow" },
            "the runner logs what was wrong with the init_from file: \(lines)")
    }

    func testHostileManifestsAreRefusedWithAClearFailureAndLeaveNoPartialFolders() throws {
        let cacheRoot = scratch.appendingPathComponent("cache")
        let stale = cacheRoot.appendingPathComponent("datasets/.partial-old-0123456789abcdef-2147483646")
        try FileManager.default.createDirectory(at: stale, withIntermediateDirectories: true)
        let coordinator = try RawCoordinator()
        let logs = Recorder<String>()
        let worker = try startWorker(coordinator, cache: DatasetCache(root: cacheRoot), logs: logs)
        _ = try coordinator.next { if case .ready(let h) = $0 { return h } else { return nil } }
        XCTAssertFalse(
            FileManager.default.fileExists(atPath: stale.path),
            "a crashed worker's download is removed on start")
        let hash = String(repeating: "ab", count: 32)
        let good = DataFileEntry(name: "train-images-idx3-ubyte", bytes: 10_000, sha256: hash)
        func manifest(_ dataset: String, chunk: Int = 4096, _ files: [DataFileEntry]) -> DataManifestHeader {
            DataManifestHeader(dataset: dataset, sha256: hash, chunkBytes: chunk, files: files)
        }
        // Each case: the manifest (as JSON header text, so that even what the encoder would never write can be
        // sent) and what the FAILED text must name.
        let cases: [(String, (String) -> DataManifestHeader, String)] = [
            (
                "huge-file-tiny-chunks",
                { manifest($0, chunk: 1, [DataFileEntry(name: "x", bytes: 1 << 40, sha256: hash)]) }, "chunk_bytes"
            ),
            (
                "16mib-tiny-chunks",
                { manifest($0, chunk: 1, [DataFileEntry(name: "x", bytes: 16 << 20, sha256: hash)]) },
                "chunk_bytes"
            ),
            (
                "huge-file", { manifest($0, chunk: 1 << 20, [DataFileEntry(name: "x", bytes: 1 << 40, sha256: hash)]) },
                "files[0].bytes"
            ),
            ("newline", { manifest($0, [DataFileEntry(name: "a\nb", bytes: 5, sha256: hash)]) }, "control characters"),
            ("nul", { manifest($0, [DataFileEntry(name: "a\u{0}b", bytes: 5, sha256: hash)]) }, "control characters"),
            ("sums", { manifest($0, [DataFileEntry(name: "SHA256SUMS", bytes: 5, sha256: hash)]) }, "SHA256SUMS"),
            ("slash", { manifest($0, [DataFileEntry(name: "../x", bytes: 5, sha256: hash)]) }, "plain file name"),
            (
                "too-many", { manifest($0, (0..<2000).map { DataFileEntry(name: "f\($0)", bytes: 1, sha256: hash) }) },
                "files"
            )
        ]
        for (id, make, expected) in cases {
            let dataset = "/nonexistent-\(id)/data"
            let failed = try coordinator.failedAnswer(to: job(id, try config(["data": .string(dataset)]))) { request in
                XCTAssertNil(request.file, "\(id): no chunk may be asked for")
                try coordinator.send(frames: [
                    Data(Envelope.protocolId.utf8), Data("DATA_MANIFEST".utf8),
                    try JSONEncoder().encode(make(dataset))
                ])
            }
            XCTAssertFalse(failed.retryable, "\(id): \(failed.error)")
            XCTAssertTrue(
                failed.error.contains("manifest is refused") && failed.error.contains(expected),
                "\(id): \(failed.error)")
            XCTAssertFalse(failed.error.unicodeScalars.contains { PeerText.isControl($0) }, "\(id): \(failed.error)")
        }
        // A valid manifest whose chunks always arrive damaged: the download gives up and its folder goes.
        let damagedJob = job("damaged", try config(["data": .string("/nonexistent/damaged")]))
        let damaged = try coordinator.failedAnswer(to: damagedJob) { request in
            guard let file = request.file, let chunk = request.chunk else {
                return try coordinator.send(.dataManifest(manifest(request.dataset, [good])))
            }
            let bytes = Data(repeating: 7, count: min(4096, good.bytes - chunk * 4096))
            try coordinator.send(
                .dataChunk(
                    DataChunkMessage(
                        header: DataChunkHeader(
                            dataset: request.dataset, file: file, chunk: chunk, bytes: bytes.count, sha256: hash),
                        bytes: bytes)))
        }
        XCTAssertTrue(damaged.error.contains("failed its SHA-256 check"), damaged.error)
        let left = try FileManager.default
            .contentsOfDirectory(atPath: cacheRoot.appendingPathComponent("datasets").path)
        XCTAssertEqual(left.filter { $0.hasPrefix(".partial-") }, [], "a failed download leaves no partial folder")
        try coordinator.send(.disconnect(DisconnectHeader(reason: "run complete")))
        XCTAssertEqual(
            try worker.wait(5)?.get(), .disconnected(reason: "run complete"),
            "the worker survived every case")
        XCTAssertFalse(logs.all.contains { $0.unicodeScalars.contains { PeerText.isControl($0) } }, "\(logs.all)")
    }

    func testBudgetRefusesWhatWouldExhaustMemoryAndAcceptsThePresets() throws {
        let budget = JobBudget()
        for preset in ["mlp", "cnn-a", "cnn-b", "flatten dense(10)"] {
            XCTAssertNoThrow(try budget.checkModel(preset, inputShape: [28, 28, 1], classes: 10, batchSize: 64), preset)
        }
        let refused: [(String, [Int], Int, String)] = [
            ("conv3x3(4096) conv3x3(4096) flatten dense(10)", [32, 32, 3], 64, "parameters"),
            ("conv3x3(64) gap dense(10)", [256, 256, 3], 4096, "activations"),
            ("conv3x3(8,pad=99999999999999) flatten dense(10)", [28, 28, 1], 8, "99999999999999")
        ]
        for (model, shape, batch, expected) in refused {
            XCTAssertThrowsError(try budget.checkModel(model, inputShape: shape, classes: 10, batchSize: batch)) {
                XCTAssertTrue("\($0)".contains(expected), "\($0)")
            }
        }
        XCTAssertThrowsError(try budget.checkClasses(65_537))
    }
}
