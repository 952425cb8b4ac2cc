import QuorumCore

/// Reads the IDX files of MNIST and Fashion-MNIST, raw or gzip-compressed (detected by content).
///
/// Layout: a big-endian magic (0x00000803 for unsigned-byte 3-D images, 0x00000801 for 1-D labels),
/// one big-endian UInt32 per dimension, then the bytes. The file length must match the header exactly.
public enum IDXReader {
    /// Magic number of an unsigned-byte image file with three dimensions (count, rows, columns).
    public static let imageMagic: UInt32 = 0x0000_0803
    /// Magic number of an unsigned-byte label file with one dimension.
    public static let labelMagic: UInt32 = 0x0000_0801

    /// Reads an image file into `[rows, columns, 1]` images.
    public static func readImages(path: String) throws -> ImageArray {
        try readImages(bytes: FileBytes.read(path), path: path)
    }

    /// Reads image-file bytes already in memory (decompressed); `path` names them in errors.
    public static func readImages(bytes: [UInt8], path: String) throws -> ImageArray {
        var bytes = bytes
        try checkMagic(bytes, expected: imageMagic, path: path)
        guard bytes.count >= 16 else { throw DataError.truncated(file: path, expected: 16, actual: bytes.count) }
        let n = Int(word(bytes, 4)), rows = Int(word(bytes, 8)), cols = Int(word(bytes, 12))
        let imageBytes = try ReaderLimits.imageBytes(height: rows, width: cols, channels: 1, file: path)
        // n < 2^32 and imageBytes ≤ 2^24, so this cannot overflow; checked all the same.
        guard let pixelBytes = ModelLimits.product([n, imageBytes]), pixelBytes <= Int.max - 16 else {
            throw DataError.badDimension(file: path, reason: "\(n) images of \(rows)×\(cols) pixels")
        }
        try checkLength(bytes.count, expected: 16 + pixelBytes, path: path)
        // Drop the header in place rather than copying: a training set is tens of megabytes.
        bytes.removeFirst(16)
        return ImageArray(imageShape: [rows, cols, 1], pixels: bytes, count: n)
    }

    /// Reads a label file.
    public static func readLabels(path: String) throws -> [Int32] {
        try readLabels(bytes: FileBytes.read(path), path: path)
    }

    /// Reads label-file bytes already in memory (decompressed); `path` names them in errors.
    public static func readLabels(bytes: [UInt8], path: String) throws -> [Int32] {
        try checkMagic(bytes, expected: labelMagic, path: path)
        guard bytes.count >= 8 else { throw DataError.truncated(file: path, expected: 8, actual: bytes.count) }
        let n = Int(word(bytes, 4))
        try checkLength(bytes.count, expected: 8 + n, path: path)
        return bytes[8...].map { Int32($0) }
    }

    /// Reads an image file and its label file into a data set, checking that they hold as many items
    /// and that every label is below `classNames.count`.
    public static func read(images: String, labels: String, name: String, classNames: [String]) throws -> Dataset {
        let imageArray = try readImages(path: images)
        let labelArray = try readLabels(path: labels)
        guard imageArray.count == labelArray.count else {
            throw DataError.countMismatch(
                images: images, imageCount: imageArray.count, labels: labels, labelCount: labelArray.count)
        }
        if let bad = labelArray.firstIndex(where: { Int($0) >= classNames.count }) {
            throw DataError.labelOutOfRange(
                file: labels, item: bad, label: Int(labelArray[bad]), classes: classNames.count)
        }
        return Dataset(
            name: name, imageShape: imageArray.imageShape, pixels: imageArray.pixels, labels: labelArray,
            classNames: classNames)
    }

    private static func word(_ b: [UInt8], _ at: Int) -> UInt32 {
        UInt32(b[at]) << 24 | UInt32(b[at + 1]) << 16 | UInt32(b[at + 2]) << 8 | UInt32(b[at + 3])
    }

    private static func checkMagic(_ bytes: [UInt8], expected: UInt32, path: String) throws {
        guard bytes.count >= 4 else { throw DataError.truncated(file: path, expected: 4, actual: bytes.count) }
        let found = word(bytes, 0)
        guard found == expected else { throw DataError.badMagic(file: path, expected: expected, found: found) }
    }

    private static func checkLength(_ actual: Int, expected: Int, path: String) throws {
        if actual < expected { throw DataError.truncated(file: path, expected: expected, actual: actual) }
        if actual > expected { throw DataError.trailingBytes(file: path, expected: expected, actual: actual) }
    }
}
