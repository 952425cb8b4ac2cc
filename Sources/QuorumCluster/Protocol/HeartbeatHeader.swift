/// HEARTBEAT header: an empty object; the message itself is the signal.
public struct HeartbeatHeader: ProtocolHeader {
    /// HEARTBEAT.
    public static let command = Command.heartbeat

    /// The empty header.
    public init() {}

    private struct NoKeys: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Accepts any JSON object (and nothing else): the synthesized decoder of an empty struct would
    /// accept any value at all.
    public init(from decoder: Decoder) throws { _ = try decoder.container(keyedBy: NoKeys.self) }

    /// Writes `{}`.
    public func encode(to encoder: Encoder) throws { _ = encoder.container(keyedBy: NoKeys.self) }

    /// Nothing to check.
    public func validate(_ check: FieldValidator) throws {}
}
