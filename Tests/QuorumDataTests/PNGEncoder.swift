import CZlib
@testable import QuorumData

/// Writes small PNG files for the reader's tests, independently of the reader: its own CRC, Adler-32,
/// row filters and stored (uncompressed) deflate blocks, or zlib's deflate when `compressed` is set.
enum PNGEncoder {
    /// A PNG of `width × height` with `samples` bytes per pixel; `pixels` are the unfiltered rows;
    /// row y uses filter `filters[y % filters.count]`.
    static func encode(
        width: Int, height: Int, colourType: UInt8, samples: Int, pixels: [UInt8],
        filters: [UInt8] = [0], bitDepth: UInt8 = 8, interlace: UInt8 = 0,
        palette: [UInt8]? = nil, transparency: [UInt8]? = nil, compressed: Bool = false
    ) -> [UInt8] {
        var out = PNGReader.signature
        var ihdr = be(UInt32(width)) + be(UInt32(height))
        ihdr += [bitDepth, colourType, 0, 0, interlace]
        out += chunk("IHDR", ihdr)
        if let palette { out += chunk("PLTE", palette) }
        if let transparency { out += chunk("tRNS", transparency) }
        let raw = filtered(pixels, width: width * samples, height: height, bpp: samples, filters: filters)
        let stream = compressed ? zlibCompress(raw) : storedZlib(raw)
        // Split the data over two IDAT chunks: readers must join them.
        let half = stream.count / 2
        out += chunk("IDAT", Array(stream[..<half])) + chunk("IDAT", Array(stream[half...]))
        out += chunk("IEND", [])
        return out
    }

    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        return be(UInt32(data.count)) + body + be(crc(body))
    }

    static func be(_ v: UInt32) -> [UInt8] {
        [
            UInt8(v >> 24), UInt8(truncatingIfNeeded: v >> 16), UInt8(truncatingIfNeeded: v >> 8),
            UInt8(truncatingIfNeeded: v)
        ]
    }

    /// CRC-32 (polynomial 0xEDB88320), bit by bit.
    static func crc(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xffff_ffff
        for b in bytes {
            c ^= UInt32(b)
            for _ in 0..<8 { c = c & 1 != 0 ? 0xedb8_8320 ^ (c >> 1) : c >> 1 }
        }
        return c ^ 0xffff_ffff
    }

    /// A zlib stream of stored deflate blocks (no compression), with its Adler-32 trailer.
    static func storedZlib(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var i = 0
        repeat {
            let n = min(65535, data.count - i)
            let final: UInt8 = i + n == data.count ? 1 : 0
            out += [final, UInt8(n & 0xff), UInt8(n >> 8), UInt8(~n & 0xff), UInt8((~n >> 8) & 0xff)]
            out += data[i..<(i + n)]
            i += n
        } while i < data.count
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in data { a = (a + UInt32(byte)) % 65521; b = (b + a) % 65521 }
        return out + be(b << 16 | a)
    }

    static func zlibCompress(_ data: [UInt8]) -> [UInt8] {
        var size = compressBound(UInt(data.count))
        var out = [UInt8](repeating: 0, count: Int(size))
        let status = compress2(&out, &size, data, UInt(data.count), 9)
        precondition(status == Z_OK)
        return Array(out[..<Int(size)])
    }

    /// Applies PNG's forward filters, each row prefixed by its filter byte.
    static func filtered(_ p: [UInt8], width: Int, height: Int, bpp: Int, filters: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        for y in 0..<height {
            let f = filters[y % filters.count]
            out.append(f)
            for x in 0..<width {
                let v = Int(p[y * width + x])
                let a = x >= bpp ? Int(p[y * width + x - bpp]) : 0
                let b = y > 0 ? Int(p[(y - 1) * width + x]) : 0
                let c = x >= bpp && y > 0 ? Int(p[(y - 1) * width + x - bpp]) : 0
                let predicted: Int
                switch f {
                case 1: predicted = a
                case 2: predicted = b
                case 3: predicted = (a + b) / 2
                case 4:
                    let e = a + b - c, da = abs(e - a), db = abs(e - b), dc = abs(e - c)
                    predicted = da <= db && da <= dc ? a : (db <= dc ? b : c)
                default: predicted = 0
                }
                out.append(UInt8(truncatingIfNeeded: v - predicted))
            }
        }
        return out
    }
}
