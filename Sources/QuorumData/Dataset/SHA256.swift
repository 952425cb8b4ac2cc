import Crypto

/// swift-crypto's SHA-256 in the forms Quorum compares hashes in: 64 lowercase hex digits, fed from byte
/// collections or raw buffers piece by piece, so a data set is hashed without concatenating its arrays.
extension SHA256 {
    /// The hex digest of `bytes`.
    public static func hex<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        var s = SHA256()
        s.update(bytes)
        return s.hexDigest()
    }

    /// Feeds bytes from a collection (contiguous storage without a copy).
    public mutating func update<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        let done: Void? = bytes.withContiguousStorageIfAvailable { update(bufferPointer: UnsafeRawBufferPointer($0)) }
        if done != nil { return }
        update(data: Array(bytes))
    }

    /// Feeds raw bytes.
    public mutating func update(_ raw: UnsafeRawBufferPointer) { update(bufferPointer: raw) }

    /// The digest of everything fed so far, as 64 lowercase hex digits.
    public func hexDigest() -> String {
        let table = Array("0123456789abcdef".utf8)
        var chars: [UInt8] = []
        chars.reserveCapacity(64)
        for b in finalize() { chars.append(table[Int(b >> 4)]); chars.append(table[Int(b & 15)]) }
        return String(decoding: chars, as: UTF8.self)
    }
}
