import Foundation

/// The framing every Quorum message shares, after the ROUTER routing id:
/// [0] protocol id with version, [1] command, [2] JSON header, [3...] binary frames the command defines.
public struct Envelope: Equatable {
    /// The protocol id and version this build speaks.
    public static let protocolId = "QUORUM/1"
    /// What every protocol id starts with, whatever its version.
    static let protocolPrefix = "QUORUM/"

    /// The command (frame 1).
    public var command: Command
    /// The UTF-8 JSON object (frame 2).
    public var header: Data
    /// The binary frames after the header.
    public var payload: [Data]

    /// An envelope from its parts.
    public init(command: Command, header: Data, payload: [Data] = []) {
        self.command = command
        self.header = header
        self.payload = payload
    }

    /// Splits received frames, checking protocol id, command, frame count and sizes (not the JSON).
    public init(frames: [Data], limits: ProtocolLimits) throws {
        guard let first = frames.first else { throw ProtocolError.missingFrames(found: 0) }
        if first != Data(Self.protocolId.utf8) {
            let text = Self.printable(first)
            if first.starts(with: Data(Self.protocolPrefix.utf8)) {
                throw ProtocolError.unsupportedVersion(found: text, expected: Self.protocolId)
            }
            throw ProtocolError.wrongProtocol(found: text)
        }
        guard frames.count >= 3 else { throw ProtocolError.missingFrames(found: frames.count) }
        guard let name = String(data: frames[1], encoding: .utf8), let command = Command(rawValue: name) else {
            throw ProtocolError.unknownCommand(Self.printable(frames[1]))
        }
        let total = frames.reduce(0) { $0 + $1.count }
        guard total <= limits.maxMessageBytes else {
            throw ProtocolError.messageTooLarge(command: command, size: total, limit: limits.maxMessageBytes)
        }
        guard command.allowsFrameCount(frames.count) else {
            throw ProtocolError.frameCount(command: command, expected: command.frameCount, found: frames.count)
        }
        guard frames[2].count <= limits.maxHeaderBytes else {
            throw ProtocolError.headerTooLarge(command: command, size: frames[2].count, limit: limits.maxHeaderBytes)
        }
        self.init(command: command, header: frames[2], payload: Array(frames[3...]))
    }

    /// The frames to send.
    public var frames: [Data] { [Data(Self.protocolId.utf8), Data(command.rawValue.utf8), header] + payload }

    /// Up to 32 bytes of a frame as text fit for an error message.
    static func printable(_ data: Data) -> String {
        let text = String(decoding: data.prefix(32), as: UTF8.self)
        let clean = String(text.unicodeScalars.map { $0.value < 32 || $0.value == 127 ? "?" : Character($0) })
        return data.count > 32 ? clean + "…" : clean
    }
}
