/// A message that breaks the wire protocol; the text names the command and the field at fault.
public enum ProtocolError: Error, CustomStringConvertible, Equatable {
    /// Fewer frames than protocol id, command and header.
    case missingFrames(found: Int)
    /// Frame 0 is not a Quorum protocol id at all.
    case wrongProtocol(found: String)
    /// Frame 0 is a Quorum protocol id of another version.
    case unsupportedVersion(found: String, expected: String)
    /// Frame 1 names no known command.
    case unknownCommand(String)
    /// The command has the wrong number of frames.
    case frameCount(command: Command, expected: Int, found: Int)
    /// The JSON header is larger than the limit.
    case headerTooLarge(command: Command, size: Int, limit: Int)
    /// The whole message is larger than the limit.
    case messageTooLarge(command: Command, size: Int, limit: Int)
    /// A header field is missing, of the wrong type or out of range (`field` "header" for the whole object).
    case invalidHeader(command: Command, field: String, problem: String)
    /// A binary frame does not match what the header announces.
    case invalidPayload(command: Command, field: String, problem: String)

    /// Human-readable text naming the command and the field.
    public var description: String {
        switch self {
        case .missingFrames(let n):
            return "message has \(n) frame(s); expected at least 3 (protocol id, command, JSON header)"
        case .wrongProtocol(let s):
            return "frame 0 (protocol id) is \"\(s)\"; expected \"\(Envelope.protocolId)\""
        case .unsupportedVersion(let s, let e):
            return "frame 0 (protocol id) is \"\(s)\": this build speaks only \"\(e)\""
        case .unknownCommand(let s):
            return "frame 1 (command) is \"\(s)\"; expected one of "
                + Command.allCases.map(\.rawValue).joined(separator: ", ")
        case .frameCount(let c, let e, let f):
            return "\(c.rawValue): \(f) frames; expected \(e)"
        case .headerTooLarge(let c, let s, let l):
            return "\(c.rawValue): JSON header is \(s) bytes; the limit is \(l)"
        case .messageTooLarge(let c, let s, let l):
            return "\(c.rawValue): message is \(s) bytes; the limit is \(l)"
        case .invalidHeader(let c, let f, let p):
            return "\(c.rawValue): header field \"\(f)\" \(p)"
        case .invalidPayload(let c, let f, let p):
            return "\(c.rawValue): \(f) \(p)"
        }
    }
}
