import Foundation

/// A worker as the coordinator's ROUTER socket knows it: the routing id of its connection.
public struct WorkerID: Hashable, Sendable, CustomStringConvertible {
    /// The routing id bytes (frame 0 of every message the ROUTER receives from this worker).
    public let bytes: Data

    /// An id from routing id bytes.
    public init(_ bytes: Data) { self.bytes = bytes }

    /// An id from text (workers may set a readable routing id; tests use names).
    public init(_ text: String) { bytes = Data(text.utf8) }

    /// The id as text when it is printable ASCII, else as hex (libzmq's generated ids are binary).
    public var description: String {
        if !bytes.isEmpty, bytes.allSatisfy({ (33...126).contains($0) }) {
            return String(decoding: bytes, as: UTF8.self)
        }
        return bytes.map { String(format: "%02x", $0) }.joined()
    }
}
