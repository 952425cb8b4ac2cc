/// Size limits a peer enforces on what it receives, so a broken or hostile peer cannot exhaust memory.
public struct ProtocolLimits: Sendable, Equatable {
    /// The largest JSON header (frame 2), in bytes.
    public var maxHeaderBytes: Int
    /// The largest message (all frames after the routing id together), in bytes.
    public var maxMessageBytes: Int
    /// The longest string field (job id, host, version, data set name), in UTF-8 bytes.
    public var maxStringBytes: Int
    /// The longest error text in FAILED, in UTF-8 bytes.
    public var maxErrorBytes: Int

    /// Limits fit for small CNN ensembles: 1 MiB headers, 256 MiB messages.
    public init(maxHeaderBytes: Int = 1 << 20, maxMessageBytes: Int = 256 << 20,
                maxStringBytes: Int = 256, maxErrorBytes: Int = 64 << 10) {
        self.maxHeaderBytes = maxHeaderBytes
        self.maxMessageBytes = maxMessageBytes
        self.maxStringBytes = maxStringBytes
        self.maxErrorBytes = maxErrorBytes
    }
}
