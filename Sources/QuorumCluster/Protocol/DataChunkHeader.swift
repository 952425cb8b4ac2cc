/// DATA_CHUNK header: one chunk of one file of a data set; the bytes follow in frame 3.
public struct DataChunkHeader: ProtocolHeader {
    /// DATA_CHUNK.
    public static let command = Command.dataChunk
    /// The data set, as the request named it.
    public var dataset: String
    /// The file, as the manifest names it.
    public var file: String
    /// The chunk's index within the file.
    public var chunk: Int
    /// The chunk's length: exactly the length of frame 3.
    public var bytes: Int
    /// SHA-256 of the chunk's bytes as sent; the worker re-requests a chunk whose bytes do not match.
    public var sha256: String

    /// A chunk header from its fields.
    public init(dataset: String, file: String, chunk: Int, bytes: Int, sha256: String) {
        self.dataset = dataset
        self.file = file
        self.chunk = chunk
        self.bytes = bytes
        self.sha256 = sha256
    }

    /// Checks the names, the index, the length and the hash format.
    public func validate(_ check: FieldValidator) throws {
        try DataFileName.checkDataset(dataset, "dataset", check)
        try DataFileName.check(file, "file", check)
        try check.integer(chunk, "chunk", 0...Int(Int32.max))
        try check.integer(bytes, "bytes", 0...check.limits.maxChunkBytes)
        try DataManifestHeader.hash(sha256, "sha256", check)
    }
}
