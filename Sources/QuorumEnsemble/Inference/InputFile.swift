/// One `quorum vote` input as read from disk: its bytes (decompressed) and the format they were detected as.
public struct InputFile: Sendable {
    /// The file as given.
    public let path: String
    /// The format detected from the content (and the name where content is ambiguous).
    public let format: InputFormat
    /// The file's bytes, decompressed when the file was gzip.
    public let bytes: [UInt8]

    /// Bytes already in memory (a file's, or a request's), named `path` in errors, read as `format`.
    public init(path: String, format: InputFormat, bytes: [UInt8]) {
        self.path = path
        self.format = format
        self.bytes = bytes
    }
}
