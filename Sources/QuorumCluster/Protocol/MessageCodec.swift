import Foundation
import QuorumCore

/// Turns `ProtocolMessage`s into frames and back, validating every frame of what it receives.
///
/// Decoding never trusts the peer: frame counts, protocol version, JSON shape, value ranges, the
/// probabilities frame's length and values and the model frame's length are all checked, so that
/// code past the codec may rely on every invariant the protocol document states.
public struct MessageCodec: Sendable {
    /// The size limits applied when decoding.
    public let limits: ProtocolLimits

    /// A codec with the given limits.
    public init(limits: ProtocolLimits = ProtocolLimits()) { self.limits = limits }

    // MARK: encoding

    /// The frames of `message` (without any routing id). Non-finite numbers are written as the strings
    /// "NaN"/"Infinity", which every receiver rejects, so a broken worker's message is refused loudly.
    public func encode(_ message: ProtocolMessage) -> [Data] {
        switch message {
        case .ready(let h): return Envelope(command: .ready, header: Self.json(h)).frames
        case .job(let h): return Envelope(command: .job, header: Self.json(h)).frames
        case .heartbeat(let h): return Envelope(command: .heartbeat, header: Self.json(h)).frames
        case .progress(let h): return Envelope(command: .progress, header: Self.json(h)).frames
        case .failed(let h): return Envelope(command: .failed, header: Self.json(h)).frames
        case .disconnect(let h): return Envelope(command: .disconnect, header: Self.json(h)).frames
        case .result(let r):
            return Envelope(
                command: .result, header: Self.json(r.header),
                payload: [Self.littleEndianBytes(r.probabilities), r.model]
                    + r.snapshots.flatMap { [Self.littleEndianBytes($0.probabilities), $0.model] }
            ).frames
        case .dataRequest(let h): return Envelope(command: .dataRequest, header: Self.json(h)).frames
        case .dataManifest(let h): return Envelope(command: .dataManifest, header: Self.json(h)).frames
        case .dataChunk(let c):
            return Envelope(command: .dataChunk, header: Self.json(c.header), payload: [c.bytes]).frames
        case .rejected(let h): return Envelope(command: .rejected, header: Self.json(h)).frames
        }
    }

    private static func json<H: Encodable>(_ header: H) -> Data {
        // With non-finite floats mapped to strings, encoding plain structs of strings and numbers cannot fail.
        (try? JSONCoding.wireEncoder().encode(header)) ?? Data("{}".utf8)
    }

    /// float32 values as little-endian bytes, whatever the host's byte order.
    static func littleEndianBytes(_ values: [Float]) -> Data {
        var data = Data(count: values.count * 4)
        data.withUnsafeMutableBytes { raw in
            for (i, v) in values.enumerated() {
                raw.storeBytes(of: v.bitPattern.littleEndian, toByteOffset: i * 4, as: UInt32.self)
            }
        }
        return data
    }

    // MARK: decoding

    /// Decodes and validates frames (without any routing id); throws `ProtocolError` for anything wrong.
    public func decode(_ frames: [Data]) throws -> ProtocolMessage {
        let envelope = try Envelope(frames: frames, limits: limits)
        switch envelope.command {
        case .ready: return .ready(try header(ReadyHeader.self, envelope))
        case .job: return .job(try header(JobHeader.self, envelope))
        case .heartbeat: return .heartbeat(try header(HeartbeatHeader.self, envelope))
        case .progress: return .progress(try header(ProgressHeader.self, envelope))
        case .failed: return .failed(try header(FailedHeader.self, envelope))
        case .disconnect: return .disconnect(try header(DisconnectHeader.self, envelope))
        case .result:
            let h = try header(ResultHeader.self, envelope)
            let entries = h.snapshots ?? []
            guard envelope.payload.count == 2 + 2 * entries.count else {
                throw ProtocolError.invalidPayload(
                    command: .result, field: "frames",
                    problem: "are \(envelope.payload.count + 3); snapshots lists \(entries.count), so "
                        + "\(5 + 2 * entries.count) are expected")
            }
            func frames(_ at: Int, modelBytes: Int) throws -> SnapshotFrames {
                let probabilities = try Self.probabilities(envelope.payload[at], header: h, frame: at + 3)
                let model = envelope.payload[at + 1]
                guard model.count == modelBytes else {
                    throw ProtocolError.invalidPayload(
                        command: .result, field: "frame \(at + 4) (model file)",
                        problem: "is \(model.count) bytes; its model_bytes says \(modelBytes)")
                }
                return SnapshotFrames(probabilities: probabilities, model: model)
            }
            let last = try frames(0, modelBytes: h.modelBytes)
            let earlier = try entries.enumerated().map {
                try frames(2 + 2 * $0.offset, modelBytes: $0.element.modelBytes)
            }
            return .result(
                ResultMessage(header: h, probabilities: last.probabilities, model: last.model, snapshots: earlier))
        case .rejected: return .rejected(try header(RejectedHeader.self, envelope))
        case .dataRequest: return .dataRequest(try header(DataRequestHeader.self, envelope))
        case .dataManifest: return .dataManifest(try header(DataManifestHeader.self, envelope))
        case .dataChunk:
            let h = try header(DataChunkHeader.self, envelope)
            let bytes = envelope.payload[0]
            guard bytes.count == h.bytes else {
                throw ProtocolError.invalidPayload(
                    command: .dataChunk, field: "frame 3 (chunk)",
                    problem: "is \(bytes.count) bytes; bytes says \(h.bytes)")
            }
            return .dataChunk(DataChunkMessage(header: h, bytes: bytes))
        }
    }

    /// The command of frames that start with this protocol's id and name a known command, whatever the
    /// rest holds: lets a receiver tell a broken RESULT from noise.
    public static func command(of frames: [Data]) -> Command? {
        guard frames.count >= 2, frames[0] == Data(Envelope.protocolId.utf8) else { return nil }
        return Command(rawValue: String(decoding: frames[1].prefix(32), as: UTF8.self))
    }

    /// The `job_id` of a message whose header is a JSON object naming one, however broken the rest: lets a
    /// receiver tell which job a RESULT that failed validation was for.
    public static func jobId(of frames: [Data], limits: ProtocolLimits = ProtocolLimits()) -> String? {
        struct Named: Decodable { var job_id: String }
        guard frames.count >= 3, frames[2].count <= limits.maxHeaderBytes else { return nil }
        return (try? JSONCoding.decoder(keys: .declared).decode(Named.self, from: frames[2]))?.job_id
    }

    private func header<H: ProtocolHeader>(_ type: H.Type, _ envelope: Envelope) throws -> H {
        let command = H.command
        // JSONDecoder would also accept UTF-16/32 text (by its byte order mark); the protocol says UTF-8.
        // Decoding repairs invalid sequences, so the bytes survive a round trip only when they are valid UTF-8.
        guard Data(String(decoding: envelope.header, as: UTF8.self).utf8) == envelope.header else {
            throw ProtocolError.invalidHeader(command: command, field: "header", problem: "is not a UTF-8 JSON object")
        }
        // Foundation reports deep nesting only as "not valid JSON"; measure first to say what is wrong.
        if let problem = JSONNesting.problem(envelope.header, limit: 64) {
            throw ProtocolError.invalidHeader(command: command, field: "header", problem: problem)
        }
        let value: H
        do {
            value = try JSONCoding.decoder(keys: .declared).decode(H.self, from: envelope.header)
        } catch let error as DecodingError {
            throw Self.describe(error, command: command)
        }
        try value.validate(FieldValidator(command: command, limits: limits))
        return value
    }

    private static func describe(_ error: DecodingError, command: Command) -> ProtocolError {
        func path(_ keys: [CodingKey], _ last: CodingKey? = nil) -> String {
            let all = keys + (last.map { [$0] } ?? [])
            if all.isEmpty { return "header" }
            return all.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let ctx):
            return .invalidHeader(command: command, field: path(ctx.codingPath, key), problem: "is missing")
        case .typeMismatch(let type, let ctx):
            let what = ctx.codingPath.isEmpty ? "must be a JSON object" : "has the wrong type; expected \(type)"
            return .invalidHeader(command: command, field: path(ctx.codingPath), problem: what)
        case .valueNotFound(let type, let ctx):
            return .invalidHeader(command: command, field: path(ctx.codingPath), problem: "is null; expected \(type)")
        case .dataCorrupted(let ctx):
            let what = ctx.codingPath.isEmpty ? "is not a UTF-8 JSON object" : "is not a valid value"
            return .invalidHeader(command: command, field: path(ctx.codingPath), problem: what)
        @unknown default:
            return .invalidHeader(command: command, field: "header", problem: "cannot be decoded: \(error)")
        }
    }

    private static func probabilities(_ frame: Data, header h: ResultHeader, frame number: Int) throws -> [Float] {
        // Both factors are bounded by the header checks (test_count < 2^31, classes ≤ 65536), so no overflow.
        let expected = h.testCount * h.classes * 4
        guard frame.count == expected else {
            throw ProtocolError.invalidPayload(
                command: .result, field: "frame \(number) (probabilities)",
                problem:
                    "is \(frame.count) bytes; test_count × classes × 4 = \(h.testCount) × \(h.classes) × 4 = \(expected)"
            )
        }
        var values = [Float](repeating: 0, count: h.testCount * h.classes)
        var bad: (Int, Float)?
        frame.withUnsafeBytes { raw in
            values.withUnsafeMutableBufferPointer { out in
                for i in 0..<out.count {
                    let v = Float(
                        bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i * 4, as: UInt32.self)))
                    if bad == nil && !(v >= 0 && v <= 1) { bad = (i, v) }
                    out[i] = v
                }
            }
        }
        if let (i, v) = bad {
            throw ProtocolError.invalidPayload(
                command: .result, field: "frame \(number) (probabilities)",
                problem:
                    "holds \(v) at row \(i / h.classes), class \(i % h.classes); expected a finite probability in 0...1"
            )
        }
        return values
    }
}
