/// Size limits a peer enforces on what it receives, so a broken or hostile peer cannot exhaust memory.
public struct ProtocolLimits: Sendable, Equatable {
    /// The largest JSON header (frame 2), in bytes.
    public var maxHeaderBytes: Int
    /// The largest message (all frames after the routing id together), in bytes.
    public var maxMessageBytes: Int
    /// The longest string field (job id, host, version), in UTF-8 bytes.
    public var maxStringBytes: Int
    /// The longest error text in FAILED, reason in DISCONNECT, or data set name, in UTF-8 bytes.
    public var maxErrorBytes: Int
    /// The smallest `chunk_bytes` a DATA_MANIFEST may announce: tiny chunks would cost a message each.
    public var minChunkBytes: Int
    /// The largest `chunk_bytes` a DATA_MANIFEST may announce (and so the largest DATA_CHUNK frame).
    public var maxChunkBytes: Int
    /// The most files a DATA_MANIFEST may list.
    public var maxDatasetFiles: Int
    /// The largest file a DATA_MANIFEST may list, in bytes.
    public var maxDatasetFileBytes: Int
    /// The largest data set (all its files together) a DATA_MANIFEST may announce, in bytes.
    public var maxDatasetBytes: Int

    /// Limits fit for small CNN ensembles: 1 MiB headers, 256 MiB messages, data sets of at most
    /// 1024 files, 4 GiB per file and 16 GiB in all, shipped in chunks of 4 KiB to 16 MiB.
    public init(
        maxHeaderBytes: Int = 1 << 20, maxMessageBytes: Int = 256 << 20,
        maxStringBytes: Int = 256, maxErrorBytes: Int = 64 << 10,
        minChunkBytes: Int = 4 << 10, maxChunkBytes: Int = 16 << 20, maxDatasetFiles: Int = 1024,
        maxDatasetFileBytes: Int = 4 << 30, maxDatasetBytes: Int = 16 << 30
    ) {
        self.maxHeaderBytes = maxHeaderBytes
        self.maxMessageBytes = maxMessageBytes
        self.maxStringBytes = maxStringBytes
        self.maxErrorBytes = maxErrorBytes
        self.minChunkBytes = minChunkBytes
        self.maxChunkBytes = maxChunkBytes
        self.maxDatasetFiles = maxDatasetFiles
        self.maxDatasetFileBytes = maxDatasetFileBytes
        self.maxDatasetBytes = maxDatasetBytes
    }
}
