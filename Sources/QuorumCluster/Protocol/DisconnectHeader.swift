/// DISCONNECT header: why the sender is leaving or ending the conversation.
public struct DisconnectHeader: ProtocolHeader {
    /// DISCONNECT.
    public static let command = Command.disconnect
    /// A short reason for logs, e.g. `run complete` or `worker stopping`; may be absent.
    public var reason: String?

    /// A DISCONNECT header.
    public init(reason: String? = nil) { self.reason = reason }

    /// Checks the reason's length.
    public func validate(_ check: FieldValidator) throws {
        if let reason { try check.text(reason, "reason", maxBytes: check.limits.maxErrorBytes, allowEmpty: true) }
    }
}
