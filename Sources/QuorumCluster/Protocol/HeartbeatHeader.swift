/// HEARTBEAT header: an empty object; the message itself is the signal.
public struct HeartbeatHeader: ProtocolHeader {
    /// HEARTBEAT.
    public static let command = Command.heartbeat

    /// The empty header.
    public init() {}

    /// Nothing to check.
    public func validate(_ check: FieldValidator) throws {}
}
