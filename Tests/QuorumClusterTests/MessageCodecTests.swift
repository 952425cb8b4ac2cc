import Foundation
import XCTest
@testable import QuorumCluster
import QuorumTestSupport

final class MessageCodecTests: XCTestCase {
    let codec = MessageCodec()

    private func frames(_ command: String, _ header: String, _ payload: [Data] = [], id: String = "QUORUM/1") -> [Data]
    {
        [Data(id.utf8), Data(command.utf8), Data(header.utf8)] + payload
    }

    private func assertError(
        _ frames: [Data], _ codec: MessageCodec? = nil, file: StaticString = #filePath, line: UInt = #line,
        _ check: (ProtocolError) -> Void
    ) {
        XCTAssertThrowsError(try (codec ?? self.codec).decode(frames), file: file, line: line) { error in
            guard let e = error as? ProtocolError else {
                return XCTFail("not a ProtocolError: \(error)", file: file, line: line)
            }
            check(e)
        }
    }

    func testEveryCommandRoundTrips() throws {
        let messages: [ProtocolMessage] = [
            Fixtures.ready(),
            .job(
                JobHeader(
                    jobId: "m-3", memberIndex: 3, attempt: 2, threads: 1,
                    config: .object([
                        "seed": .integer(4), "lr": .number(0.001), "augment": .object(["flip": .bool(true)]),
                        "model": .string("cnn-a"), "notes": .null, "sizes": .array([.integer(1)])
                    ]))),
            .heartbeat(HeartbeatHeader()),
            Fixtures.progress("m-3"),
            .progress(
                ProgressHeader(
                    jobId: "m-3", epoch: 2, epochs: 2, batch: 10, batches: 10, loss: 0.2, accuracy: 1,
                    validationLoss: 0.3, validationAccuracy: 0.91, imagesPerSecond: 0)),
            Fixtures.result("m-3"),
            .result(Fixtures.resultMessage("empty", testCount: 0, classes: 10)),
            Fixtures.failed("m-3"),
            .disconnect(DisconnectHeader(reason: "run complete")),
            .disconnect(DisconnectHeader())
        ]
        for m in messages {
            let f = codec.encode(m)
            XCTAssertEqual(f.count, m.command.frameCount)
            XCTAssertEqual(f[0], Data("QUORUM/1".utf8))
            XCTAssertEqual(f[1], Data(m.command.rawValue.utf8))
            XCTAssertEqual(try codec.decode(f), m)
        }
    }

    func testWireFormatIsSnakeCaseJsonWithNestedConfigAndLittleEndianFloats() throws {
        let job = codec.encode(
            .job(JobHeader(jobId: "j", memberIndex: 1, attempt: 1, threads: 2, config: .object(["seed": .integer(7)]))))
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: job[2]) as? [String: Any])
        XCTAssertEqual(object["member_index"] as? Int, 1)
        XCTAssertEqual(
            (object["config"] as? [String: Any])?["seed"] as? Int, 7, "config is a nested object, not a string")
        let result = codec.encode(
            .result(
                ResultMessage(
                    header: ResultHeader(
                        jobId: "j", validationLoss: 0.1, validationAccuracy: 0.5, history: .array([]),
                        testCount: 1, classes: 2, modelBytes: 2),
                    probabilities: [0.25, 0.75], model: Data([1, 2]))))
        XCTAssertEqual(result[3], Data([0x00, 0x00, 0x80, 0x3e, 0x00, 0x00, 0x40, 0x3f]))
        XCTAssertEqual(result[4], Data([1, 2]))
    }

    func testAHandWrittenPythonStyleMessageDecodes() throws {
        // What a pyzmq client would send with json.dumps: extra fields are ignored, key order is free.
        let m = try codec.decode(
            frames(
                "READY",
                #"{"threads": 1, "host": "py", "cores": 4, "version": "py-0.1", "blas_kernel": "", "datasets": {}, "extra": 1}"#
            ))
        guard case .ready(let h) = m else { return XCTFail("\(m)") }
        XCTAssertEqual(h.host, "py")
        XCTAssertEqual(h.cores, 4)
        XCTAssertNil(h.isa, "a worker that predates `isa` (it sent `blas_kernel`) names no instruction set")
    }

    func testReadyCarriesTheInstructionSetAndChecksIt() throws {
        let ready = ProtocolMessage.ready(
            ReadyHeader(
                version: "0.1.0", host: "h", cores: 2, threads: 1,
                isa: "avx512_core"))
        let encoded = codec.encode(ready)
        XCTAssertTrue(String(decoding: encoded[2], as: UTF8.self).contains(#""isa":"avx512_core""#))
        XCTAssertEqual(try codec.decode(encoded), ready)
        func readyFrames(isa: String) -> [Data] {
            frames("READY", #"{"version":"1","host":"h","cores":2,"threads":1,"isa":"\#(isa)","datasets":{}}"#)
        }
        assertError(readyFrames(isa: "")) {
            XCTAssertEqual($0, .invalidHeader(command: .ready, field: "isa", problem: "must not be empty"))
        }
        assertError(readyFrames(isa: String(repeating: "x", count: 257))) {
            guard case .invalidHeader(.ready, "isa", _) = $0 else { return XCTFail("\($0)") }
        }
    }

    func testRejectedRoundTripsAsSnakeCaseAndIsValidated() throws {
        let reason = "probabilities row 3 sums to 0.5"
        let message = ProtocolMessage.rejected(
            RejectedHeader(
                jobId: "member-02", reason: reason, badResults: 2,
                refused: false))
        let encoded = codec.encode(message)
        XCTAssertEqual(encoded.count, 3)
        XCTAssertEqual(String(decoding: encoded[1], as: UTF8.self), "REJECTED")
        XCTAssertEqual(
            String(decoding: encoded[2], as: UTF8.self),
            #"{"bad_results":2,"job_id":"member-02","reason":"\#(reason)","refused":false}"#)
        XCTAssertEqual(try codec.decode(encoded), message)
        XCTAssertEqual(MessageCodec.command(of: encoded), .rejected)
        XCTAssertNil(MessageCodec.command(of: [Data("QUORUM/2".utf8), Data("RESULT".utf8)]))
        assertError(frames("REJECTED", #"{"bad_results":0,"job_id":"j","reason":"x","refused":true}"#)) {
            guard case .invalidHeader(.rejected, "bad_results", _) = $0 else { return XCTFail("\($0)") }
        }
        assertError(frames("REJECTED", #"{"bad_results":1,"job_id":"j","refused":true}"#)) {
            XCTAssertEqual($0, .invalidHeader(command: .rejected, field: "reason", problem: "is missing"))
        }
    }

    func testProtocolIdAndVersion() {
        assertError(frames("READY", "{}", id: "QUORUM/2")) {
            XCTAssertEqual($0, .unsupportedVersion(found: "QUORUM/2", expected: "QUORUM/1"))
        }
        assertError(frames("READY", "{}", id: "HTTP/1.1")) { XCTAssertEqual($0, .wrongProtocol(found: "HTTP/1.1")) }
        assertError([]) { XCTAssertEqual($0, .missingFrames(found: 0)) }
        assertError([Data("QUORUM/1".utf8), Data("READY".utf8)]) { XCTAssertEqual($0, .missingFrames(found: 2)) }
        assertError(frames("HELLO", "{}")) { XCTAssertEqual($0, .unknownCommand("HELLO")) }
        assertError(frames("ready", "{}")) { XCTAssertEqual($0, .unknownCommand("ready")) }
    }

    func testFrameCountPerCommand() {
        assertError(frames("HEARTBEAT", "{}", [Data([1])])) {
            XCTAssertEqual($0, .frameCount(command: .heartbeat, expected: 3, found: 4))
        }
        var r = codec.encode(Fixtures.result("x"))
        r.removeLast()
        assertError(r) { XCTAssertEqual($0, .frameCount(command: .result, expected: 5, found: 4)) }
    }

    func testJsonShapeErrorsNameTheField() {
        assertError(frames("HEARTBEAT", "[]")) {
            XCTAssertEqual($0, .invalidHeader(command: .heartbeat, field: "header", problem: "must be a JSON object"))
        }
        assertError(frames("HEARTBEAT", "{not json")) {
            XCTAssertEqual(
                $0, .invalidHeader(command: .heartbeat, field: "header", problem: "is not a UTF-8 JSON object"))
        }
        let deep = #"{"worker":"# + String(repeating: "[", count: 200) + String(repeating: "]", count: 200) + "}"
        assertError(frames("HEARTBEAT", deep)) {
            XCTAssertEqual(
                $0,
                .invalidHeader(
                    command: .heartbeat, field: "header",
                    problem: "it nests arrays and objects more than 64 levels deep"))
        }
        assertError([Data("QUORUM/1".utf8), Data("HEARTBEAT".utf8), Data([0xff, 0xfe, 0x7b])]) {
            XCTAssertEqual(
                $0, .invalidHeader(command: .heartbeat, field: "header", problem: "is not a UTF-8 JSON object"))
        }
        assertError(frames("FAILED", #"{"job_id":"j","retryable":true}"#)) {
            XCTAssertEqual($0, .invalidHeader(command: .failed, field: "error", problem: "is missing"))
            XCTAssertTrue($0.description.contains("FAILED") && $0.description.contains("\"error\""), $0.description)
        }
        assertError(frames("FAILED", #"{"job_id":"j","error":"x","retryable":"yes"}"#)) {
            guard case .invalidHeader(.failed, "retryable", _) = $0 else { return XCTFail("\($0)") }
        }
        assertError(frames("JOB", #"{"job_id":"j","member_index":0,"attempt":1,"threads":1,"config":"{\"seed\":1}"}"#))
        {
            XCTAssertEqual($0, .invalidHeader(command: .job, field: "config", problem: "must be a JSON object"))
        }
        assertError(
            frames(
                "RESULT",
                #"{"job_id":"j","validation_loss":1,"validation_accuracy":0.5,"history":{},"test_count":0,"classes":1,"model_bytes":0}"#,
                [Data(), Data()])
        ) {
            XCTAssertEqual($0, .invalidHeader(command: .result, field: "history", problem: "must be a JSON array"))
        }
        assertError(
            frames("READY", #"{"version":"1","host":"h","cores":2,"threads":1,"isa":"x","datasets":{"mnist":"abc"}}"#)
        ) {
            guard case .invalidHeader(.ready, "datasets.mnist", _) = $0 else { return XCTFail("\($0)") }
        }
        assertError(frames("READY", #"{"version":"1","host":"","cores":2,"threads":1,"isa":"x","datasets":{}}"#)) {
            guard case .invalidHeader(.ready, "host", _) = $0 else { return XCTFail("\($0)") }
        }
    }

    func testNumericRanges() {
        func progress(_ fields: String) -> [Data] {
            frames("PROGRESS", #"{"job_id":"j","batch":1,"batches":10,"images_per_second":5,"# + fields + "}")
        }
        let cases: [(String, String)] = [
            (#""epoch":3,"epochs":2,"loss":1,"accuracy":0.5"#, "epoch"),
            (#""epoch":0,"epochs":2,"loss":1,"accuracy":0.5"#, "epoch"),
            (#""epoch":1,"epochs":0,"loss":1,"accuracy":0.5"#, "epochs"),
            (#""epoch":1,"epochs":2,"loss":1,"accuracy":1.5"#, "accuracy"),
            (#""epoch":1,"epochs":2,"loss":1,"accuracy":-0.1"#, "accuracy"),
            (#""epoch":1,"epochs":2,"loss":"NaN","accuracy":0.5"#, "loss"),
            (#""epoch":1,"epochs":2,"loss":1,"accuracy":0.5,"validation_loss":1"#, "validation_accuracy"),
            (
                #""epoch":1,"epochs":2,"loss":1,"accuracy":0.5,"validation_loss":1,"validation_accuracy":2"#,
                "validation_accuracy"
            )
        ]
        for (fields, field) in cases {
            assertError(progress(fields)) {
                guard case .invalidHeader(.progress, let f, _) = $0 else { return XCTFail("\(fields): \($0)") }
                XCTAssertEqual(f, field, fields)
            }
        }
        // A number too large for a Double is refused by the JSON parser itself, before any field is read.
        assertError(progress(#""epoch":1,"epochs":2,"loss":1e400,"accuracy":0.5"#)) {
            guard case .invalidHeader(.progress, _, _) = $0 else { return XCTFail("\($0)") }
        }
        XCTAssertNoThrow(try codec.decode(progress(#""epoch":2,"epochs":2,"loss":1,"accuracy":0.5"#)))
        assertError(frames("JOB", #"{"job_id":"j","member_index":-1,"attempt":1,"threads":1,"config":{}}"#)) {
            guard case .invalidHeader(.job, "member_index", _) = $0 else { return XCTFail("\($0)") }
        }
        assertError(frames("JOB", #"{"job_id":"j","member_index":0,"attempt":0,"threads":1,"config":{}}"#)) {
            guard case .invalidHeader(.job, "attempt", _) = $0 else { return XCTFail("\($0)") }
        }
    }

    func testNonFiniteValuesEncodedByABrokenSenderAreRejected() {
        let f = codec.encode(
            .progress(
                ProgressHeader(
                    jobId: "j", epoch: 1, epochs: 1, batch: 0, batches: 1, loss: .nan,
                    accuracy: 0.5, imagesPerSecond: 1)))
        assertError(f) { guard case .invalidHeader(.progress, "loss", _) = $0 else { return XCTFail("\($0)") } }
    }

    func testProbabilitiesFrameMustMatchShapeAndBeFinite() {
        var f = codec.encode(Fixtures.result("j"))  // 3 × 2 floats = 24 bytes
        f[3] = f[3].dropLast(4)
        assertError(f) {
            guard case .invalidPayload(.result, let field, let problem) = $0 else { return XCTFail("\($0)") }
            XCTAssertTrue(field.contains("probabilities"))
            XCTAssertTrue(problem.contains("20 bytes") && problem.contains("24"), problem)
        }
        for bad: Float in [.nan, .infinity, -0.5, 1.5] {
            var r = Fixtures.resultMessage("j")
            r.probabilities[4] = bad
            assertError(codec.encode(.result(r))) {
                guard case .invalidPayload(.result, _, let problem) = $0 else { return XCTFail("\($0)") }
                XCTAssertTrue(problem.contains("row 2, class 0"), problem)
            }
        }
    }

    func testModelFrameLengthMustMatchHeader() {
        var r = Fixtures.resultMessage("j")
        r.header.modelBytes += 1
        assertError(codec.encode(.result(r))) {
            guard case .invalidPayload(.result, let field, _) = $0 else { return XCTFail("\($0)") }
            XCTAssertTrue(field.contains("model"))
        }
    }

    func testSizeLimits() {
        let small = MessageCodec(limits: ProtocolLimits(maxHeaderBytes: 64, maxMessageBytes: 200))
        let bigHeader = frames("DISCONNECT", #"{"reason":""# + String(repeating: "x", count: 100) + #""}"#)
        assertError(bigHeader, small) {
            XCTAssertEqual($0, .headerTooLarge(command: .disconnect, size: 113, limit: 64))
        }
        var r = Fixtures.resultMessage("j", testCount: 10, classes: 2)
        r.model = Data(count: 100)
        r.header.modelBytes = 100
        assertError(codec.encode(.result(r)), small) {
            guard case .messageTooLarge(.result, _, 200) = $0 else { return XCTFail("\($0)") }
        }
        assertError(
            frames("FAILED", #"{"job_id":""# + String(repeating: "j", count: 300) + #"","error":"","retryable":true}"#)
        ) {
            guard case .invalidHeader(.failed, "job_id", _) = $0 else { return XCTFail("\($0)") }
        }
    }

    func testJSONValueKeepsLargeIntegersExact() throws {
        let v = try JSONValue(data: Data(#"{"seed":9007199254740993,"x":[1.5,true,null,"s"]}"#.utf8))
        XCTAssertEqual(
            v,
            .object([
                "seed": .integer(9_007_199_254_740_993), "x": .array([.number(1.5), .bool(true), .null, .string("s")])
            ]))
        XCTAssertEqual(try JSONValue(data: v.jsonData()), v)
    }
}
