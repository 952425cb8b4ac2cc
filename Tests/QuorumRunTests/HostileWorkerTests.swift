import Foundation
import XCTest
@testable import QuorumCluster
@testable import QuorumRun
import QuorumTraining
import QuorumCore
import QuorumTestSupport

/// A worker that sends what an attacker or a broken third-party worker would: every RESULT that fails a check
/// is rejected (the sender hears REJECTED), recorded in the journal, never stored, and the run completes with
/// every member from honest workers.
final class HostileWorkerTests: XCTestCase {
    private var fixture: RunFixture!
    private var scratch: URL { fixture.scratch }
    private let codec = MessageCodec()

    override func setUpWithError() throws { fixture = try RunFixture("hostile") }

    override func tearDownWithError() throws { fixture.remove() }

    /// Classes of the tiny data set as its loader reports them (IDX folders score 10).
    private var classes: Int { fixture.classes }

    /// A run of `members` one-layer members on the tiny data set, in a fresh run directory.
    private func makeRun(members: Int = 2) throws -> EnsembleRun {
        let plan = try RunPlan.make(base: fixture.base, members: members, augmentation: "none", runId: "hostile")
        let directory = try RunDirectory(
            path: scratch.appendingPathComponent("run-\(UUID().uuidString.prefix(8))")
                .path)
        try directory.writePlan(plan)
        return EnsembleRun(directory: directory, plan: plan, data: try PreparedData.load(for: plan.members[0].config))
    }

    /// A sound RESULT for `jobId`: a model of `spec` and the probabilities it gives on the run's test set.
    private func honest(
        _ run: EnsembleRun, _ jobId: String = "member-00", spec text: String = "flatten dense(10)",
        seed: UInt64 = 7
    ) throws -> ResultMessage {
        let data = run.data
        let spec = try ModelSpec(parsing: text, inputShape: data.test.imageShape, classes: classes)
        let model = try Sequential(spec: spec, seed: seed)
        let file = ModelFile.serialized(
            model,
            metadata: ModelMetadata(
                spec: spec, normalizationMean: data.normalization.mean, normalizationStd: data.normalization.std,
                classNames: (0..<classes).map(String.init)))
        let evaluation = Evaluation.run(model, on: data.test, normalization: data.normalization)
        return ResultMessage(
            header: ResultHeader(
                jobId: jobId, validationLoss: 0.5, validationAccuracy: 0.5,
                history: .array([]), testCount: data.test.count, classes: classes,
                modelBytes: file.count),
            probabilities: evaluation.probabilities, model: file)
    }

    /// Bytes of a safetensors file with this JSON header and body.
    private static func safetensors(_ header: String, _ body: Data) -> Data {
        var json = Array(header.utf8)
        while json.count % 8 != 0 { json.append(0x20) }
        var out = Data()
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { out.append(contentsOf: $0) }
        return out + json + body
    }

    private static func header(of file: Data) -> (json: String, body: Data) {
        let length = Int(
            file.prefix(8).enumerated().reduce(UInt64(0)) {
                $0 | UInt64($1.element) << (8 * UInt64($1.offset))
            })
        return (String(decoding: file[8..<8 + length], as: UTF8.self), file[(8 + length)...])
    }

    private func with(_ r: ResultMessage, model: Data) -> ResultMessage {
        var out = r
        out.model = model
        out.header.modelBytes = model.count
        return out
    }

    /// Every hostile RESULT: a name, a phrase the rejection must contain, and the frames to send.
    private func cases(_ run: EnsembleRun) throws -> [(name: String, expect: String, frames: [Data])] {
        let good = try honest(run)
        let file = try SafeTensors.parse(good.model, path: "x")
        let (json, body) = Self.header(of: good.model)
        let weight = try XCTUnwrap(file.entries.first { $0.shape.count == 2 })
        func frames(_ r: ResultMessage) -> [Data] { codec.encode(.result(r)) }
        var nan = frames(good)
        nan[3].replaceSubrange(0..<4, with: withUnsafeBytes(of: Float.nan.bitPattern.littleEndian) { Data($0) })
        var badRows = good
        for c in 0..<classes { badRows.probabilities[c] = 0.02 }
        var fewer = good
        fewer.header.testCount -= 1
        fewer.probabilities.removeLast(classes)
        var fourClasses = good
        fourClasses.header.classes = 4
        fourClasses.probabilities = Array(repeating: 0.25, count: good.header.testCount * 4)
        fourClasses.header.modelBytes = good.model.count
        var mismatch = good
        mismatch.probabilities = try honest(run, seed: 99).probabilities
        let giant =
            #"{"classes":10,"inputShape":[6,6,1],"layers":"flatten dense(1000000000) relu dense(10)","#
            + #""name":"custom"}"#
        var giantMeta = file.metadata
        giantMeta["quorum.spec"] = giant
        let swapped = file.entries.map { e in
            e.name == weight.name ? SafeTensors.Entry(name: e.name, shape: e.shape.reversed(), values: e.values) : e
        }
        func model(_ bytes: Data) -> [Data] { frames(with(good, model: bytes)) }
        return [
            ("truncated model", "data_offsets outside", model(good.model.prefix(good.model.count - 40))),
            ("not safetensors", "not a safetensors file", model(Data("GIF89a, certainly not a model".utf8))),
            (
                "offsets out of range", "data_offsets",
                frames(
                    with(
                        good,
                        model: Self.safetensors(
                            json.replacingOccurrences(of: "\"data_offsets\":[0,", with: "\"data_offsets\":[0,9"), body))
                )
            ),
            ("huge header length", "header length", model(Data([0, 0, 0, 0, 0, 0, 0, 0x7F]) + good.model.dropFirst(8))),
            (
                "BF16 dtype", "BF16",
                frames(
                    with(
                        good,
                        model: Self.safetensors(
                            json.replacingOccurrences(of: "\"F32\"", with: "\"BF16\""), body)))
            ),
            (
                "no Quorum metadata", "quorum.spec",
                model(SafeTensors(metadata: [:], entries: file.entries).serialized())
            ),
            (
                "tensor shape disagrees with its spec", weight.name,
                frames(with(good, model: SafeTensors(metadata: file.metadata, entries: swapped).serialized()))
            ),
            ("test_count differs", "test_count", frames(fewer)),
            ("classes differ", "classes", frames(fourClasses)),
            ("NaN probabilities", "probabilities", nan),
            ("rows not summing to 1", "sums to", frames(badRows)),
            ("foreign spec", "the plan's member", frames(try honest(run, spec: "flatten dense(8) relu dense(10)"))),
            ("probabilities not from the model", "do not come from this model", frames(mismatch)),
            (
                "dense(1000000000) spec", "over the limit",
                model(SafeTensors(metadata: giantMeta, entries: file.entries).serialized())
            )
        ]
    }

    func testVerifierAcceptsAnHonestMemberAndNamesEveryProblem() throws {
        let run = try makeRun()
        let member = run.plan.members[0]
        XCTAssertNoThrow(try run.verifier.verify(try honest(run), member: member))
        for (name, expect, frames) in try cases(run) {
            guard case .result(let result)? = try? codec.decode(frames) else {
                XCTAssertEqual(name, "NaN probabilities", "only NaN is refused by the codec itself")
                continue
            }
            XCTAssertThrowsError(try run.verifier.verify(result, member: member), name) { error in
                XCTAssertTrue("\(error)".contains(expect), "\(name): \(error)")
            }
        }
    }

    func testEverySnapshotOfASnapshotJobIsCheckedAsAMember() throws {
        let run = try makeRun()
        var member = run.plan.members[0]
        member.config.epochs = 3
        member.config.snapshots = SnapshotSettings(count: 3)
        func snapshot(_ result: ResultMessage) -> SnapshotFrames {
            SnapshotFrames(probabilities: result.probabilities, model: result.model)
        }
        func entry(_ cycle: Int, _ frames: SnapshotFrames) -> ResultSnapshot {
            ResultSnapshot(cycle: cycle, validationLoss: 0.5, validationAccuracy: 0.5, modelBytes: frames.model.count)
        }
        let earlier = [snapshot(try honest(run, seed: 1)), snapshot(try honest(run, seed: 2))]
        var result = try honest(run)
        result.snapshots = earlier
        result.header.snapshots = [entry(1, earlier[0]), entry(2, earlier[1])]
        let verified = try run.verifier.verify(result, member: member)
        XCTAssertEqual(verified.snapshots.count, 2)

        var missing = try honest(run)
        missing.snapshots = [earlier[0]]
        missing.header.snapshots = [entry(1, earlier[0])]
        XCTAssertThrowsError(try run.verifier.verify(missing, member: member)) {
            XCTAssertTrue("\($0)".contains("carries 1 earlier snapshots; the plan's job yields 2"), "\($0)")
        }
        // Snapshot 2's probabilities come from another network than its model file.
        var forged = result
        forged.snapshots[1].probabilities = try honest(run, seed: 9).probabilities
        XCTAssertThrowsError(try run.verifier.verify(forged, member: member)) {
            XCTAssertTrue("\($0)".contains("snapshot 2: probabilities row"), "\($0)")
        }
        XCTAssertThrowsError(try run.verifier.verify(result, member: run.plan.members[1])) {
            XCTAssertTrue("\($0)".contains("the plan's job yields 0"), "a job of one member sends no snapshots")
        }
    }

    func testSpecSizesAreOverflowCheckedAndPrunedSpecsRecognised() throws {
        // Decoded, not parsed: a file's spec arrives as JSON and is sized before anything trusts it.
        func spec(_ layers: String) throws -> ModelSpec {
            let json = #"{"classes":10,"inputShape":[28,28,1],"name":"custom","layers":"\#(layers)"}"#
            return try JSONDecoder().decode(ModelSpec.self, from: Data(json.utf8))
        }
        let small = try XCTUnwrap(MemberVerifier.size(of: spec("flatten dense(10)")))
        XCTAssertEqual(small.parameters, 28 * 28 * 10 + 10)
        XCTAssertEqual(small.activations, 28 * 28)
        let cnn = try XCTUnwrap(MemberVerifier.size(of: spec("conv3x3(8) batchnorm relu maxpool2 flatten dense(10)")))
        XCTAssertEqual(cnn.parameters, 3 * 3 * 8 + 8 + 4 * 8 + 14 * 14 * 8 * 10 + 10)
        let limit = MemberVerifier(data: try makeRun().data).maxActivationsPerSample
        for hostile in [
            "conv3x3(1048576) flatten dense(16777216)", "flatten dense(1000000000) relu dense(10)",
            "conv3x3(8, pad=4096) conv3x3(8, pad=4096) conv3x3(1048576) flatten dense(10)", "dense(10)"
        ] {
            // Either the spec's own limits refuse it while decoding, or the verifier's size check does.
            guard let decoded = try? spec(hostile) else { continue }
            let size = MemberVerifier.size(of: decoded)
            XCTAssertTrue((size?.activations ?? Int.max) > limit, "\(hostile): \(String(describing: size))")
        }
        let planned = try spec("conv3x3(8) relu maxpool2 flatten dense(32) relu dense(10)").layerSpecs
        func pruned(_ layers: String) throws -> Bool {
            MemberVerifier.isPruned(try spec(layers).layerSpecs, from: planned)
        }
        XCTAssertTrue(try pruned("conv3x3(6) relu maxpool2 flatten dense(20) relu dense(10)"))
        XCTAssertFalse(
            try pruned("conv3x3(9) relu maxpool2 flatten dense(32) relu dense(10)"), "more filters than planned")
        XCTAssertFalse(try pruned("conv5x5(8) relu maxpool2 flatten dense(32) relu dense(10)"), "another kernel")
        XCTAssertFalse(try pruned("conv3x3(8) relu flatten dense(32) relu dense(10)"), "a layer missing")
    }

    /// Serves `run` on a background thread; returns the bound endpoint and the outcome to wait for.
    private func serve(_ run: EnsembleRun, maxBadResults: Int = 3) throws -> (String, Background<CoordinatorOutcome>) {
        let bound = Recorder<String>()
        let settings = CoordinatorSettings(
            heartbeatInterval: 0.1, liveness: 3, maxAttempts: 3,
            maxBadResults: maxBadResults)
        let outcome = Background("ensemble-run") {
            try run.serve(
                endpoint: "tcp://127.0.0.1:0", settings: settings,
                serverSettings: CoordinatorServerSettings(pollInterval: 0.01, linger: 0.5),
                onBound: { bound.append($0) })
        }
        let deadline = Date().addingTimeInterval(5)
        while bound.all.isEmpty && Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        return (try XCTUnwrap(bound.all.first), outcome)
    }

    private func honestWorker(_ endpoint: String) throws -> Background<WorkerExit> {
        let runner = TrainingJobRunner()
        return try Harness.startWorker(endpoint, host: "honest") { try runner.run($0, reporter: $1, cancel: $2) }.1
    }

    /// The next message of `command` on a raw DEALER (skipping heartbeats and jobs).
    private func next(_ socket: ZMQSocket, _ command: Command) throws -> ProtocolMessage? {
        while let frames = try socket.receive() {
            let message = try codec.decode(frames)
            if message.command == command { return message }
        }
        return nil
    }

    func testEveryHostileResultIsRejectedAndTheRunCompletesWithHonestMembers() throws {
        let probe = try makeRun()
        for (name, expect, frames) in try cases(probe) {
            let run = try makeRun()
            let (endpoint, outcome) = try serve(run)
            let context = try ZMQContext()
            let raw = try Harness.rawDealer(context, endpoint)
            try raw.send(frames: codec.encode(Fixtures.ready("hostile\u{1B}[2J")))
            XCTAssertEqual(try Harness.awaitJob(raw)?.jobId, "member-00", name)
            var tampered = frames
            // The job id in the header is the one the hostile worker holds.
            if case .result(var r)? = try? codec.decode(frames) {
                r.header.jobId = "member-00"
                tampered = codec.encode(.result(r))
            }
            try raw.send(frames: tampered)
            guard case .rejected(let rejection)? = try next(raw, .rejected) else {
                XCTFail("\(name): no REJECTED")
                continue
            }
            XCTAssertEqual(rejection.jobId, "member-00", name)
            XCTAssertTrue(rejection.reason.contains(expect), "\(name): \(rejection.reason)")
            raw.close()
            let worker = try honestWorker(endpoint)
            XCTAssertEqual(try outcome.wait(20)?.get(), .complete, name)
            XCTAssertEqual(try worker.wait(3)?.get(), .disconnected(reason: "run complete"), name)
            XCTAssertEqual(run.directory.completedJobs(), ["member-00", "member-01"], name)
            let journal = run.directory.journal()
            let recorded = journal.contains {
                $0.event == .rejected && $0.jobId == "member-00" && ($0.message ?? "").contains(expect)
            }
            XCTAssertTrue(recorded, "\(name): \(journal)")
            let stored = try ModelFile.load(path: run.directory.modelURL("member-00").path)
            XCTAssertEqual(stored.model.spec.layers, "flatten dense(10)", name)
        }
    }

    func testAMemberReRunOnAnotherInstructionSetIsNamedInTheJournalAndTheSummary() throws {
        let run = try makeRun()
        let (endpoint, outcome) = try serve(run)
        let context = try ZMQContext()
        let raw = try Harness.rawDealer(context, endpoint)
        defer { raw.close() }
        // An AVX-512 worker takes member-00 and falls silent: it expires, and only an AVX2 worker is left.
        try raw.send(frames: codec.encode(Fixtures.ready("avx512-node", isa: "avx512_core")))
        XCTAssertEqual(try Harness.awaitJob(raw)?.jobId, "member-00")
        let worker = try honestWorker(endpoint)
        XCTAssertEqual(try outcome.wait(20)?.get(), .complete)
        XCTAssertEqual(try worker.wait(3)?.get(), .disconnected(reason: "run complete"))
        let note = "trained on avx2, not avx512_core (its first holder's)"
        let notes = run.directory.journal().filter { $0.event == .otherInstructionSet }
        XCTAssertEqual(notes.map(\.jobId), ["member-00"])
        XCTAssertEqual(notes.map(\.message), [note])
        let result = try RunSummary(directory: run.directory, plan: run.plan)
            .finish(data: run.data, command: "test", wallSeconds: nil)
        XCTAssertEqual(result.otherInstructionSet, ["member-00": note])
        let summary =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: run.directory.url.appendingPathComponent("summary.json"))) as? [String: Any]
        XCTAssertEqual(summary?["other_instruction_set"] as? [String: String], ["member-00": note])
    }

    func testNonRetryableFailureLeavesThatMemberOutAndTheRunFinishesWithTheOthers() throws {
        let run = try makeRun()
        let (endpoint, outcome) = try serve(run)
        let context = try ZMQContext()
        let raw = try Harness.rawDealer(context, endpoint)
        defer { raw.close() }
        try raw.send(frames: codec.encode(Fixtures.ready("quitter")))
        XCTAssertEqual(try Harness.awaitJob(raw)?.jobId, "member-00")
        try raw.send(frames: codec.encode(Fixtures.failed("member-00", "unknown layer 'foo'", retryable: false)))
        let worker = try honestWorker(endpoint)
        guard case .incomplete(let failed)? = try outcome.wait(20)?.get() else {
            return XCTFail("expected an incomplete run")
        }
        XCTAssertEqual(Array(failed.keys), ["member-00"])
        XCTAssertTrue(failed["member-00"]?.contains("unknown layer 'foo'") == true, "\(failed)")
        XCTAssertEqual(try worker.wait(3)?.get(), .disconnected(reason: "run complete"))
        XCTAssertEqual(run.directory.completedJobs(), ["member-01"])
        XCTAssertTrue(run.directory.journal().contains { $0.event == .jobFailed && $0.jobId == "member-00" })
    }

    func testWorkerWithTooManyBadResultsIsRefusedForTheRestOfTheRun() throws {
        let run = try makeRun(members: 3)
        let refused = Recorder<String>()
        run.onWorkerRefused = { worker, _ in refused.append(worker) }
        let (endpoint, outcome) = try serve(run, maxBadResults: 2)
        let context = try ZMQContext()
        let raw = try Harness.rawDealer(context, endpoint)
        defer { raw.close() }
        try raw.send(frames: codec.encode(Fixtures.ready("serial-offender")))
        var verdicts: [RejectedHeader] = []
        for _ in 0..<2 {
            guard let job = try Harness.awaitJob(raw) else { return XCTFail("no job") }
            var bad = try honest(run, job.jobId)
            bad.probabilities[0] = 0.9
            try raw.send(frames: codec.encode(.result(bad)))
            guard case .rejected(let r)? = try next(raw, .rejected) else { return XCTFail("no REJECTED") }
            verdicts.append(r)
        }
        XCTAssertEqual(verdicts.map(\.refused), [false, true])
        guard case .disconnect(let bye)? = try next(raw, .disconnect) else { return XCTFail("no DISCONNECT") }
        XCTAssertTrue(bye.reason?.contains("refused") == true, "\(String(describing: bye.reason))")
        try raw.send(frames: codec.encode(Fixtures.ready("serial-offender")))  // knocking again changes nothing
        let worker = try honestWorker(endpoint)
        XCTAssertEqual(try outcome.wait(20)?.get(), .complete)
        XCTAssertEqual(try worker.wait(3)?.get(), .disconnected(reason: "run complete"))
        XCTAssertEqual(run.directory.completedJobs().count, 3)
        XCTAssertEqual(refused.all.count, 1)
        XCTAssertTrue(refused.all[0].contains("serial-offender"), refused.all[0])
        XCTAssertTrue(run.directory.journal().contains { $0.event == .workerRefused })
    }
}
