/// Reads Netpbm grey-map images: `P2` (ASCII) and `P5` (binary), with `#` comments in the header.
///
/// Values are scaled from `0...maxval` to `0...255`; `maxval` above 255 (two bytes per sample) is refused.
public enum PGMReader {
    /// Whether `bytes` start like a PGM file (`P2` or `P5` followed by white space).
    public static func isPGM(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 3 && bytes[0] == 0x50 && (bytes[1] == 0x32 || bytes[1] == 0x35) && isSpace(bytes[2])
    }

    /// Reads the file at `path` into one `[H, W, 1]` image.
    public static func read(path: String) throws -> ImageArray {
        try decode(FileBytes.readRaw(path), file: path)
    }

    /// Decodes PGM bytes; `file` names the source in errors.
    public static func decode(_ bytes: [UInt8], file: String) throws -> ImageArray {
        guard isPGM(bytes) else { throw ImageFileError.badSignature(file: file, format: "PGM (P2/P5)") }
        let ascii = bytes[1] == 0x32
        var i = 2
        func number(_ field: String) throws -> Int {
            // Skip white space and comments, which may sit between any two header fields.
            while i < bytes.count {
                if isSpace(bytes[i]) {
                    i += 1
                } else if bytes[i] == 0x23 {
                    while i < bytes.count && bytes[i] != 0x0a && bytes[i] != 0x0d { i += 1 }
                } else {
                    break
                }
            }
            guard i < bytes.count else {
                throw ImageFileError.truncated(file: file, reason: "the file ends before the \(field)")
            }
            var value = 0, digits = 0
            while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 {
                value = value * 10 + Int(bytes[i] - 0x30)
                digits += 1
                guard value <= 1 << 24 else {
                    throw ImageFileError.badHeader(file: file, reason: "\(field) is too large")
                }
                i += 1
            }
            guard digits > 0 else {
                throw ImageFileError.badHeader(
                    file: file,
                    reason: "\(field): expected a decimal number, found byte 0x\(String(bytes[i], radix: 16))")
            }
            return value
        }
        let width = try number("width"), height = try number("height"), maxval = try number("maximum value")
        guard width > 0, height > 0 else {
            throw ImageFileError.badHeader(file: file, reason: "size \(width)×\(height)")
        }
        guard maxval > 0 else { throw ImageFileError.badHeader(file: file, reason: "maximum value 0") }
        guard maxval <= 255 else {
            throw ImageFileError.unsupported(
                file: file, feature: "maximum value \(maxval) (16-bit samples); expected at most 255")
        }
        guard width <= ReaderLimits.imageSide, height <= ReaderLimits.imageSide else {
            throw ImageFileError.badHeader(
                file: file, reason: "size \(width)×\(height), expected 1...\(ReaderLimits.imageSide) on each side")
        }
        let count = width * height
        guard count <= ReaderLimits.imageBytes else {
            throw ImageFileError.badHeader(
                file: file, reason: "\(width)×\(height) pixels, more than \(ReaderLimits.imageBytes)")
        }
        func scaled(_ v: Int) -> UInt8 { UInt8((v * 255 + maxval / 2) / maxval) }
        var pixels: [UInt8]
        if ascii {
            // Each value takes at least two bytes, so growing as values are read never holds more than the file.
            pixels = []
            pixels.reserveCapacity(min(count, (bytes.count - i) / 2 + 1))
            for p in 0..<count {
                let v: Int
                do { v = try number("pixel \(p)") } catch ImageFileError.truncated {
                    throw ImageFileError.truncated(file: file, reason: "expected \(count) pixel values, found \(p)")
                }
                guard v <= maxval else {
                    throw ImageFileError.corrupt(
                        file: file, reason: "pixel \(p) is \(v), above the maximum value \(maxval)")
                }
                pixels.append(scaled(v))
            }
        } else {
            // Exactly one white-space byte separates the header from the binary samples.
            guard i < bytes.count, isSpace(bytes[i]) else {
                throw ImageFileError.truncated(file: file, reason: "no pixel data after the header")
            }
            i += 1
            // The file must hold every sample before the pixels are allocated.
            guard bytes.count - i >= count else {
                throw ImageFileError.truncated(
                    file: file, reason: "expected \(count) pixel bytes, found \(bytes.count - i)")
            }
            pixels = [UInt8](repeating: 0, count: count)
            for p in 0..<count {
                let v = Int(bytes[i + p])
                guard v <= maxval else {
                    throw ImageFileError.corrupt(
                        file: file, reason: "pixel \(p) is \(v), above the maximum value \(maxval)")
                }
                pixels[p] = maxval == 255 ? UInt8(v) : scaled(v)
            }
        }
        return ImageArray(imageShape: [height, width, 1], pixels: pixels, count: 1)
    }

    private static func isSpace(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x0a || b == 0x0d || b == 0x0b || b == 0x0c
    }
}
