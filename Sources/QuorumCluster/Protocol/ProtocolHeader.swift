/// A command's JSON header: Codable with snake_case keys, and able to check its own value ranges.
public protocol ProtocolHeader: Codable, Equatable, Sendable {
    /// The command this header belongs to.
    static var command: Command { get }
    /// Throws `ProtocolError.invalidHeader` naming the first field out of range.
    func validate(_ check: FieldValidator) throws
}
