import Foundation

/// A decoded DATA_CHUNK: its header and the chunk's bytes (length checked, hash not: the receiver
/// checks the hash, so that it can ask again for a chunk damaged on the way).
public struct DataChunkMessage: Equatable, Sendable {
    /// The header.
    public var header: DataChunkHeader
    /// Frame 3.
    public var bytes: Data

    /// A chunk message from its parts.
    public init(header: DataChunkHeader, bytes: Data) {
        self.header = header
        self.bytes = bytes
    }
}
