/// One file of a shipped data set, as a DATA_MANIFEST lists it.
public struct DataFileEntry: Codable, Equatable, Sendable {
    /// The path relative to the data set's folder, e.g. `train-images-idx3-ubyte.gz`.
    public var name: String
    /// The file's length in bytes.
    public var bytes: Int
    /// The file's SHA-256, 64 lowercase hex digits.
    public var sha256: String

    /// An entry from its fields.
    public init(name: String, bytes: Int, sha256: String) {
        self.name = name
        self.bytes = bytes
        self.sha256 = sha256
    }
}
