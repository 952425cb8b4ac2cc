import CZlib

/// gzip compression through zlib: data files ship as `.gz`, and the cluster may compress what it sends.
public enum Gzip {
    /// Whether `bytes` start with the gzip magic (0x1f 0x8b): detection by content, not by file name.
    public static func isGzip<C: Collection>(_ bytes: C) -> Bool where C.Element == UInt8 {
        var it = bytes.makeIterator()
        return it.next() == 0x1f && it.next() == 0x8b
    }

    /// Decompresses a gzip stream (several concatenated members are allowed). `file` names it in errors.
    /// Output beyond `limit` bytes is refused as soon as it is produced, so a small "bomb" cannot exhaust memory.
    public static func decompress(
        _ input: [UInt8], file: String,
        limit: Int = ReaderLimits.dataFileBytes
    ) throws -> [UInt8] {
        var output = [UInt8]()
        // Most data files compress 2-5×; start there and grow by doubling.
        output.reserveCapacity(min(limit, max(1024, input.count * 4)))
        var stream = z_stream()
        // windowBits 16 + MAX_WBITS: accept a gzip header and trailer, not raw zlib.
        guard inflateInit2_(&stream, 16 + MAX_WBITS, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw DataError.corruptGzip(file: file, reason: "zlib could not start inflating")
        }
        defer { inflateEnd(&stream) }
        let chunk = 1 << 20
        var buffer = [UInt8](repeating: 0, count: chunk)
        try input.withUnsafeBufferPointer { inBuf in
            stream.next_in = UnsafeMutablePointer(mutating: inBuf.baseAddress)
            stream.avail_in = UInt32(inBuf.count)
            var finished = false
            while true {
                let status: Int32 = buffer.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress
                    stream.avail_out = UInt32(chunk)
                    return inflate(&stream, Z_NO_FLUSH)
                }
                let produced = chunk - Int(stream.avail_out)
                guard produced <= limit - output.count else {
                    throw DataError.tooLarge(file: file, what: "the decompressed content", limit: limit)
                }
                output.append(contentsOf: buffer[0..<produced])
                switch status {
                case Z_STREAM_END:
                    finished = true
                    // Another member may follow (files joined with `cat`); trailing zero padding is allowed.
                    let rest = Int(stream.avail_in)
                    if rest == 0 { return }
                    let tail = UnsafeBufferPointer(start: stream.next_in, count: rest)
                    if tail.allSatisfy({ $0 == 0 }) { return }
                    guard inflateReset(&stream) == Z_OK else {
                        throw DataError.corruptGzip(file: file, reason: "cannot start the next gzip member")
                    }
                    finished = false
                case Z_OK:
                    continue
                case Z_BUF_ERROR:
                    if stream.avail_in == 0 && !finished {
                        throw DataError.corruptGzip(
                            file: file, reason: "the stream ends early (after \(output.count) decompressed bytes)")
                    }
                    continue
                default:
                    let message = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                    throw DataError.corruptGzip(file: file, reason: message)
                }
            }
        }
        return output
    }

    /// Compresses `bytes` into one gzip member (level 0–9, default 6).
    public static func compress(_ bytes: [UInt8], level: Int32 = 6) -> [UInt8] {
        var stream = z_stream()
        let status = deflateInit2_(
            &stream, level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY,
            zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        precondition(status == Z_OK, "zlib deflateInit2 failed with \(status)")
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, UInt(bytes.count)))
        var output = [UInt8](repeating: 0, count: bound)
        let written: Int = bytes.withUnsafeBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                stream.next_in = UnsafeMutablePointer(mutating: inBuf.baseAddress)
                stream.avail_in = UInt32(inBuf.count)
                stream.next_out = outBuf.baseAddress
                stream.avail_out = UInt32(bound)
                let result = deflate(&stream, Z_FINISH)
                precondition(result == Z_STREAM_END, "deflate with a deflateBound buffer must finish, got \(result)")
                return bound - Int(stream.avail_out)
            }
        }
        output.removeSubrange(written...)
        return output
    }
}
