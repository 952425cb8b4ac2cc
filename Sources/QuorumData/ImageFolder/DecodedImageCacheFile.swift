import Foundation
import QuorumCore

extension DecodedImageCache {
    /// Reads a cache file, checking every count and length against the file's size and the reader limits
    /// before anything is allocated by it; `name` names the data sets.
    public static func read(_ file: String, name: String) throws -> ImageFolderData {
        guard let handle = FileHandle(forReadingAtPath: file) else {
            throw DataError.unreadable(file: file, reason: "cannot open the file")
        }
        defer { try? handle.close() }
        func bad(_ reason: String) -> ImageFolderError { .badCache(file: file, reason: reason) }
        let fileSize = try Int(handle.seekToEnd())
        try handle.seek(toOffset: 0)
        let prefix = [UInt8](try handle.read(upToCount: 20) ?? Data())
        guard prefix.count == 20, Array(prefix[0..<8]) == magic else { throw bad("no QIMGCACH magic") }
        var fields = ByteReader(prefix, file: file)
        fields.offset = 8
        let fileVersion = try fields.u32()
        guard fileVersion == version else { throw bad("version \(fileVersion), expected \(version)") }
        let headerBytes = try fields.u64()
        guard headerBytes <= UInt64(min(headerLimit, fileSize - 20)) else {
            throw bad("a header of \(headerBytes) bytes in a file of \(fileSize)")
        }
        var header = ByteReader([UInt8](try handle.read(upToCount: Int(headerBytes)) ?? Data()), file: file)
        guard header.bytes.count == Int(headerBytes) else { throw bad("the header is cut off") }
        let key = String(decoding: try header.take(64), as: UTF8.self)
        let count = try header.u64(), trainCount = try header.u64()
        let (h, w, c) = (Int(try header.u32()), Int(try header.u32()), Int(try header.u32()))
        let imageSize = try ReaderLimits.imageBytes(height: h, width: w, channels: c, file: file)
        guard c == 1 || c == 3 else { throw bad("\(c) channels, expected 1 or 3") }
        guard trainCount <= count, count <= UInt64(Int32.max),
            let pixelBytes = ModelLimits.product([Int(count), imageSize]),
            20 + Int(headerBytes) + pixelBytes == fileSize
        else {
            let images = "\(count) images (\(trainCount) for training) of \(h)×\(w)×\(c)"
            throw bad("\(images) do not fill its \(fileSize) bytes")
        }
        let classCount = Int(try header.u32())
        guard (1...ReaderLimits.classes).contains(classCount) else { throw bad("\(classCount) classes") }
        let classNames = try (0..<classCount).map { _ in try header.string() }
        let skippedCount = Int(try header.u32())
        guard skippedCount <= header.remaining / 8 else { throw bad("\(skippedCount) skipped files") }
        let skipped = try (0..<skippedCount).map { _ in
            BadImageFile(path: try header.string(), reason: try header.string())
        }
        guard header.remaining == Int(count) * 4 else {
            throw bad("\(header.remaining) bytes of labels for \(count) images, expected \(Int(count) * 4)")
        }
        let labels = try (0..<Int(count)).map { i -> Int32 in
            let label = Int32(bitPattern: try header.u32())
            guard label >= 0 && Int(label) < classCount else {
                throw bad("label \(label) of image \(i), \(classCount) classes")
            }
            return label
        }
        let trainImages = Int(trainCount)
        let trainPixels = try readExactly(handle, trainImages * imageSize, file: file)
        let testPixels = try readExactly(handle, (Int(count) - trainImages) * imageSize, file: file)
        let shape = [h, w, c]
        return ImageFolderData(
            train: Dataset(
                name: name + "/train", imageShape: shape, pixels: trainPixels,
                labels: Array(labels[0..<trainImages]), classNames: classNames),
            test: Dataset(
                name: name + "/test", imageShape: shape, pixels: testPixels,
                labels: Array(labels[trainImages...]), classNames: classNames),
            skipped: skipped, key: key, reused: true)
    }

    /// Writes `data` to `file` through a temporary file and a rename, so a reader never sees half a cache.
    static func write(_ data: ImageFolderData, to file: String) throws {
        var header = Array(data.key.utf8)
        precondition(header.count == 64, "a cache key is 64 hex digits")
        let count = data.train.count + data.test.count
        ByteReader.append(UInt64(count), to: &header)
        ByteReader.append(UInt64(data.train.count), to: &header)
        for d in data.train.imageShape { ByteReader.append(UInt32(d), to: &header) }
        ByteReader.append(UInt32(data.train.classNames.count), to: &header)
        for n in data.train.classNames { ByteReader.append(n, to: &header) }
        ByteReader.append(UInt32(data.skipped.count), to: &header)
        for s in data.skipped { ByteReader.append(s.path, to: &header); ByteReader.append(s.reason, to: &header) }
        for l in data.train.labels + data.test.labels { ByteReader.append(UInt32(bitPattern: l), to: &header) }
        var prefix = magic
        ByteReader.append(version, to: &prefix)
        ByteReader.append(UInt64(header.count), to: &prefix)

        let temporary = file + ".partial-\(getpid())"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(prefix + header)),
            let handle = FileHandle(forWritingAtPath: temporary)
        else {
            throw DataError.unreadable(file: temporary, reason: "cannot create the cache file")
        }
        do {
            try handle.seekToEnd()
            for pixels in [data.train.pixels, data.test.pixels] where !pixels.isEmpty {
                try pixels.withUnsafeBytes { raw in
                    try handle.write(
                        contentsOf: Data(
                            bytesNoCopy: UnsafeMutableRawPointer(mutating: raw.baseAddress!),
                            count: raw.count, deallocator: .none))
                }
            }
            try handle.close()
            guard rename(temporary, file) == 0 else {
                throw DataError.unreadable(
                    file: file,
                    reason: "cannot move the new cache into place: "
                        + String(cString: strerror(errno)))
            }
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
    }

    /// Exactly `count` bytes from `handle`, read straight into their array.
    private static func readExactly(_ handle: FileHandle, _ count: Int, file: String) throws -> [UInt8] {
        guard count > 0 else { return [] }
        let data = try handle.read(upToCount: count) ?? Data()
        guard data.count == count else { throw ImageFolderError.badCache(file: file, reason: "the pixels are cut off") }
        return [UInt8](data)
    }
}

/// Reads little-endian fields from a byte array, refusing to read past its end.
struct ByteReader {
    let bytes: [UInt8]
    let file: String
    var offset = 0

    init(_ bytes: [UInt8], file: String) {
        self.bytes = bytes
        self.file = file
    }

    /// Bytes not yet read.
    var remaining: Int { bytes.count - offset }

    /// The next `n` bytes.
    mutating func take(_ n: Int) throws -> ArraySlice<UInt8> {
        guard n >= 0 && n <= remaining else {
            throw ImageFolderError.badCache(
                file: file, reason: "a field of \(n) bytes at byte \(offset), \(remaining) left")
        }
        defer { offset += n }
        return bytes[offset..<(offset + n)]
    }

    mutating func u32() throws -> UInt32 {
        try take(4).reversed().reduce(0) { $0 << 8 | UInt32($1) }
    }

    mutating func u64() throws -> UInt64 {
        try take(8).reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// A UInt32 length, then that many bytes of UTF-8.
    mutating func string() throws -> String {
        String(decoding: try take(Int(try u32())), as: UTF8.self)
    }

    static func append<T: FixedWidthInteger>(_ value: T, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    static func append(_ text: String, to bytes: inout [UInt8]) {
        append(UInt32(text.utf8.count), to: &bytes)
        bytes.append(contentsOf: text.utf8)
    }
}
