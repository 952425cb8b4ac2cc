import Foundation
import QuorumCore
import QuorumData
import QuorumEnsemble
import QuorumTestSupport
import QuorumTraining
import XCTest

/// A small trained ensemble shared by the serving tests: three members (seeds 1-3, a soft vote) trained one
/// epoch on 8×8 grey images of ten classes (a bright square whose place depends on the class, over noise),
/// and twelve test images beside it.
enum ServeFixture {
    /// The ensemble folder, trained once per test process.
    static var ensemble: URL {
        get throws { try shared.get().ensemble }
    }

    /// The test images (the IDX file beside the ensemble), with labels.
    static var testImages: URL {
        get throws { try shared.get().images }
    }

    private static let shared = Result { try build() }

    private static func build() throws -> (ensemble: URL, images: URL) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("quorum-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let fixture = try SquaresEnsemble(in: dir, testCount: 12, seeds: 1...3)
        return (fixture.folder, fixture.testImages)
    }

    /// The test images as read for voting.
    static func testBatch() throws -> InputBatch {
        try InputLoader(inputShape: [8, 8, 1], classes: 10).load(path: testImages.path)
    }

    /// Test image `i`'s grey pixels.
    static func pixels(_ i: Int) throws -> [UInt8] {
        Array(try testBatch().images.pixels[(i * 64)..<((i + 1) * 64)])
    }

    /// A grey PNG of `width × height` (stored deflate blocks, no filter), written independently of the reader.
    static func png(_ pixels: [UInt8], width: Int = 8, height: Int = 8) -> [UInt8] {
        func be(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (24 - 8 * UInt32($0))) } }
        func crc(_ bytes: [UInt8]) -> UInt32 {
            var c: UInt32 = 0xffff_ffff
            for b in bytes {
                c ^= UInt32(b)
                for _ in 0..<8 { c = c & 1 != 0 ? 0xedb8_8320 ^ (c >> 1) : c >> 1 }
            }
            return c ^ 0xffff_ffff
        }
        func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
            let body = Array(type.utf8) + data
            return be(UInt32(data.count)) + body + be(crc(body))
        }
        var raw: [UInt8] = []
        for y in 0..<height { raw += [0] + pixels[(y * width)..<((y + 1) * width)] }
        var a: UInt32 = 1, b: UInt32 = 0
        for v in raw {
            a = (a + UInt32(v)) % 65521
            b = (b + a) % 65521
        }
        let n = raw.count
        let zlib: [UInt8] =
            [0x78, 0x01, 1, UInt8(n & 0xff), UInt8(n >> 8), UInt8(~n & 0xff), UInt8((~n >> 8) & 0xff)] + raw
            + be(b << 16 | a)
        let header = be(UInt32(width)) + be(UInt32(height)) + [8, 0, 0, 0, 0]
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", header) + chunk("IDAT", zlib)
            + chunk("IEND", [])
    }

    /// A binary grey PGM (P5).
    static func pgm(_ pixels: [UInt8], width: Int = 8, height: Int = 8) -> [UInt8] {
        Array("P5\n\(width) \(height)\n255\n".utf8) + pixels
    }
}
