import CZlib

/// Reads non-interlaced 8-bit PNG images: grey, grey + alpha, RGB, RGBA and palette (expanded to RGB,
/// or RGBA when the palette has transparency), with all five row filters.
///
/// Every chunk's CRC is checked, and the zlib stream must inflate to exactly the announced rows.
/// Interlaced images and bit depths other than 8 are refused with a message saying so.
public enum PNGReader {
    /// The eight bytes every PNG file starts with.
    public static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Whether `bytes` start with the PNG signature.
    public static func isPNG(_ bytes: [UInt8]) -> Bool { bytes.count >= 8 && Array(bytes[0..<8]) == signature }

    /// Reads the file at `path` into one `[H, W, C]` image, C = 1 (grey), 2 (grey, alpha), 3 (RGB) or 4 (RGBA).
    public static func read(path: String) throws -> ImageArray {
        try decode(FileBytes.readRaw(path), file: path)
    }

    /// Decodes PNG bytes; `file` names the source in errors.
    public static func decode(_ bytes: [UInt8], file: String) throws -> ImageArray {
        guard isPNG(bytes) else { throw ImageFileError.badSignature(file: file, format: "PNG") }
        var header: (width: Int, height: Int, colourType: UInt8)?
        var palette: [UInt8] = []
        var paletteAlpha: [UInt8] = []
        var compressed: [UInt8] = []
        var sawEnd = false
        var i = 8
        while i < bytes.count && !sawEnd {
            guard bytes.count - i >= 12 else {
                throw ImageFileError.truncated(file: file, reason: "a chunk header is cut off at byte \(i)")
            }
            let length = Int(word(bytes, i))
            let type = String(decoding: bytes[(i + 4)..<(i + 8)], as: UTF8.self)
            guard length <= bytes.count - i - 12 else {
                throw ImageFileError.truncated(
                    file: file, reason: "chunk \(type) announces \(length) bytes, the file ends first")
            }
            let data = Array(bytes[(i + 8)..<(i + 8 + length)])
            let stored = word(bytes, i + 8 + length)
            let computed =
                bytes[(i + 4)..<(i + 8 + length)].withContiguousStorageIfAvailable { buf in
                    UInt32(crc32(0, buf.baseAddress, UInt32(buf.count)))
                } ?? 0
            guard stored == computed else {
                throw ImageFileError.corrupt(file: file, reason: "CRC mismatch in chunk \(type)")
            }
            i += 12 + length
            if header == nil && type != "IHDR" {
                throw ImageFileError.badHeader(file: file, reason: "the first chunk is \(type), expected IHDR")
            }
            switch type {
            case "IHDR":
                guard length == 13 else {
                    throw ImageFileError.badHeader(file: file, reason: "IHDR holds \(length) bytes, expected 13")
                }
                let w = Int(word(data, 0)), h = Int(word(data, 4))
                let depth = data[8], colour = data[9], method = data[10], filterMethod = data[11], interlace = data[12]
                guard (1...ReaderLimits.imageSide).contains(w), (1...ReaderLimits.imageSide).contains(h) else {
                    throw ImageFileError.badHeader(
                        file: file, reason: "size \(w)×\(h), expected 1...\(ReaderLimits.imageSide) on each side")
                }
                guard [0, 2, 3, 4, 6].contains(colour) else {
                    throw ImageFileError.badHeader(file: file, reason: "colour type \(colour)")
                }
                guard depth == 8 else {
                    throw ImageFileError.unsupported(
                        file: file,
                        feature:
                            "bit depth \(depth); only 8-bit PNG images are read (convert 16-bit or low-depth images to 8-bit)"
                    )
                }
                guard method == 0, filterMethod == 0 else {
                    throw ImageFileError.badHeader(
                        file: file,
                        reason: "compression method \(method), filter method \(filterMethod); expected 0 and 0")
                }
                guard interlace == 0 else {
                    throw ImageFileError.unsupported(
                        file: file, feature: "Adam7 interlacing; save the image non-interlaced")
                }
                header = (w, h, colour)
            case "PLTE":
                guard length % 3 == 0, length > 0, length <= 768 else {
                    throw ImageFileError.badHeader(
                        file: file, reason: "PLTE holds \(length) bytes, expected a multiple of 3 up to 768")
                }
                palette = data
            case "tRNS":
                if header?.colourType == 3 { paletteAlpha = data }
            case "IDAT": compressed += data
            case "IEND": sawEnd = true
            default: break  // Ancillary chunks (gamma, text, time) do not change the pixels we need.
            }
        }
        guard let (width, height, colourType) = header else {
            throw ImageFileError.badHeader(file: file, reason: "no IHDR chunk")
        }
        guard sawEnd else { throw ImageFileError.truncated(file: file, reason: "no IEND chunk") }
        guard !compressed.isEmpty else { throw ImageFileError.corrupt(file: file, reason: "no IDAT chunk") }
        if colourType == 3 && palette.isEmpty {
            throw ImageFileError.badHeader(file: file, reason: "palette image without PLTE")
        }

        let samples: Int = [0: 1, 2: 3, 3: 1, 4: 2, 6: 4][Int(colourType)]!
        let stride = width * samples
        let pixelBytes = height * stride
        guard pixelBytes <= ReaderLimits.imageBytes else {
            throw ImageFileError.badHeader(
                file: file, reason: "\(width)×\(height)×\(samples) values, more than \(ReaderLimits.imageBytes)")
        }
        // Deflate expands at most 1032-fold, so the IDAT bytes held bound the rows they can hold: a small
        // file announcing a large image is refused before its rows are allocated.
        let expected = height * (stride + 1)
        guard expected <= compressed.count * 1032 + 64 else {
            throw ImageFileError.truncated(
                file: file, reason: "\(compressed.count) bytes of image data cannot hold \(width)×\(height) pixels")
        }
        let raw = try inflate(compressed, expected: expected, file: file)
        var image = [UInt8](repeating: 0, count: height * stride)
        try unfilter(raw, into: &image, width: stride, height: height, bytesPerPixel: samples, file: file)

        guard colourType == 3 else {
            return ImageArray(imageShape: [height, width, samples], pixels: image, count: 1)
        }
        let entries = palette.count / 3
        let channels = paletteAlpha.isEmpty ? 3 : 4
        var expanded = [UInt8](repeating: 0, count: height * width * channels)
        for p in 0..<(height * width) {
            let index = Int(image[p])
            guard index < entries else {
                throw ImageFileError.corrupt(
                    file: file, reason: "pixel \(p) uses palette index \(index), the palette has \(entries) entries")
            }
            for c in 0..<3 { expanded[p * channels + c] = palette[index * 3 + c] }
            if channels == 4 { expanded[p * 4 + 3] = index < paletteAlpha.count ? paletteAlpha[index] : 255 }
        }
        return ImageArray(imageShape: [height, width, channels], pixels: expanded, count: 1)
    }

    /// Inflates the zlib stream, which must hold exactly `expected` bytes.
    private static func inflate(_ input: [UInt8], expected: Int, file: String) throws -> [UInt8] {
        var output = [UInt8](repeating: 0, count: expected + 1)
        var stream = z_stream()
        guard inflateInit_(&stream, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw ImageFileError.corrupt(file: file, reason: "zlib could not start inflating")
        }
        defer { inflateEnd(&stream) }
        let (status, produced): (Int32, Int) = input.withUnsafeBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                stream.next_in = UnsafeMutablePointer(mutating: inBuf.baseAddress)
                stream.avail_in = UInt32(inBuf.count)
                stream.next_out = outBuf.baseAddress
                stream.avail_out = UInt32(outBuf.count)
                let s = CZlib.inflate(&stream, Z_FINISH)
                return (s, outBuf.count - Int(stream.avail_out))
            }
        }
        switch status {
        case Z_STREAM_END:
            guard produced == expected else {
                throw ImageFileError.corrupt(
                    file: file,
                    reason: "image data holds \(produced) bytes, expected \(expected) (rows with their filter bytes)")
            }
        case Z_BUF_ERROR where produced > expected:
            throw ImageFileError.corrupt(
                file: file, reason: "image data holds more than the expected \(expected) bytes")
        case Z_BUF_ERROR:
            throw ImageFileError.truncated(
                file: file, reason: "the image data stream ends early (\(produced) of \(expected) bytes)")
        default:
            let message = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
            throw ImageFileError.corrupt(file: file, reason: "zlib: \(message)")
        }
        output.removeLast()
        return output
    }

    /// Reverses the per-row filters (None, Sub, Up, Average, Paeth) of `raw` into `image`.
    private static func unfilter(
        _ raw: [UInt8], into image: inout [UInt8], width: Int, height: Int,
        bytesPerPixel bpp: Int, file: String
    ) throws {
        try raw.withUnsafeBufferPointer { src in
            try image.withUnsafeMutableBufferPointer { dst in
                for y in 0..<height {
                    let filter = src[y * (width + 1)]
                    let line = src.baseAddress! + y * (width + 1) + 1
                    let out = dst.baseAddress! + y * width
                    let prior: UnsafeMutablePointer<UInt8>? = y > 0 ? out - width : nil
                    switch filter {
                    case 0:
                        for x in 0..<width { out[x] = line[x] }
                    case 1:
                        for x in 0..<width { out[x] = line[x] &+ (x >= bpp ? out[x - bpp] : 0) }
                    case 2:
                        for x in 0..<width { out[x] = line[x] &+ (prior?[x] ?? 0) }
                    case 3:
                        for x in 0..<width {
                            let a = x >= bpp ? Int(out[x - bpp]) : 0, b = Int(prior?[x] ?? 0)
                            out[x] = line[x] &+ UInt8((a + b) / 2)
                        }
                    case 4:
                        for x in 0..<width {
                            let a = x >= bpp ? Int(out[x - bpp]) : 0, b = Int(prior?[x] ?? 0)
                            let c = x >= bpp ? Int(prior?[x - bpp] ?? 0) : 0
                            out[x] = line[x] &+ UInt8(paeth(a, b, c))
                        }
                    default:
                        throw ImageFileError.corrupt(
                            file: file, reason: "row \(y) has filter type \(filter), expected 0–4")
                    }
                }
            }
        }
    }

    /// The Paeth predictor: whichever of left, up and upper-left is closest to left + up − upper-left.
    @inline(__always)
    static func paeth(_ a: Int, _ b: Int, _ c: Int) -> Int {
        let p = a + b - c
        let pa = abs(p - a), pb = abs(p - b), pc = abs(p - c)
        if pa <= pb && pa <= pc { return a }
        return pb <= pc ? b : c
    }

    private static func word(_ b: [UInt8], _ at: Int) -> UInt32 {
        UInt32(b[at]) << 24 | UInt32(b[at + 1]) << 16 | UInt32(b[at + 2]) << 8 | UInt32(b[at + 3])
    }
}
