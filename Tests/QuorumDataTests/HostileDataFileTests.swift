import Foundation
import XCTest
@testable import QuorumData

/// Files that declare sizes they do not hold, or that wrap when multiplied: each reader refuses them with a
/// message before allocating by the declared size.
final class HostileDataFileTests: XCTestCase {
    private let folder = TemporaryFolder()

    private func message(_ body: () throws -> Any) -> String {
        do { _ = try body(); return "accepted" } catch { return "\(error)" }
    }

    private func assertMentions(_ message: String, _ parts: String..., line: UInt = #line) {
        XCTAssertNotEqual(message, "accepted", line: line)
        for part in parts { XCTAssertTrue(message.contains(part), "'\(message)' should mention '\(part)'", line: line) }
    }

    private func idxHeader(count: UInt32, rows: UInt32, cols: UInt32) -> [UInt8] {
        IDX.bigEndian(0x0803) + IDX.bigEndian(count) + IDX.bigEndian(rows) + IDX.bigEndian(cols)
    }

    func testIDXWithMaximalDimensionsIsRefusedByTheSideLimit() {
        let path = folder.write("max.idx", idxHeader(count: 0xFFFF_FFFF, rows: 0xFFFF_FFFF, cols: 0xFFFF_FFFF))
        assertMentions(message { try IDXReader.readImages(path: path) }, "max.idx", "4294967295×4294967295", "1...8192")
    }

    func testIDXWhoseSizeWrapsToItsLengthIsRefused() {
        // 16 images of 2^30 × 2^30 make 2^64 bytes, which wraps to 0: the 16-byte header alone "matched".
        let path = folder.write("wrap.idx", idxHeader(count: 16, rows: 1 << 30, cols: 1 << 30))
        assertMentions(message { try IDXReader.readImages(path: path) }, "wrap.idx", "1073741824×1073741824")
        // Legal sides, a count the file does not hold.
        let many = folder.write("many.idx", idxHeader(count: 0xFFFF_FFFF, rows: 28, cols: 28))
        assertMentions(message { try IDXReader.readImages(path: many) }, "truncated", "\(16 + 0xFFFF_FFFF * 784)")
    }

    func testTrainingFolderWithAWrappingIDXFailsWithAMessage() throws {
        // As `quorum train --data DIR` reads it.
        let dir = (folder.path as NSString).appendingPathComponent("hostile-set")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        func put(_ name: String, _ bytes: [UInt8]) {
            let path = (dir as NSString).appendingPathComponent(name)
            XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        }
        put("train-images-idx3-ubyte", idxHeader(count: 16, rows: 1 << 30, cols: 1 << 30))
        put("train-labels-idx1-ubyte", IDX.labels(Array(repeating: 1, count: 16)))
        put("t10k-images-idx3-ubyte", IDX.images(count: 2, rows: 4, cols: 4))
        put("t10k-labels-idx1-ubyte", IDX.labels([0, 1]))
        assertMentions(
            message { try DataSource.load(dir, validationSize: 0, seed: 1) },
            "train-images-idx3-ubyte", "bad dimensions")
    }

    func testPNGDeclaringAHugeImageInATinyFileIsRefused() {
        func png(width: UInt32, height: UInt32, colour: UInt8) -> [UInt8] {
            let ihdr = PNGEncoder.be(width) + PNGEncoder.be(height) + [8, colour, 0, 0, 0]
            return PNGReader.signature + PNGEncoder.chunk("IHDR", ihdr)
                + PNGEncoder.chunk("IDAT", PNGEncoder.storedZlib([0])) + PNGEncoder.chunk("IEND", [])
        }
        let huge = png(width: 65536, height: 65536, colour: 6)
        XCTAssertLessThan(huge.count, 80)
        assertMentions(message { try PNGReader.decode(huge, file: "huge.png") }, "huge.png", "65536×65536", "1...8192")
        assertMentions(
            message { try PNGReader.decode(png(width: 8192, height: 8192, colour: 6), file: "rgba.png") },
            "8192×8192×4 values")
        // Within every limit, but 7 bytes of compressed rows cannot hold 4096 × 4096 pixels.
        assertMentions(
            message { try PNGReader.decode(png(width: 4096, height: 4096, colour: 0), file: "grey.png") },
            "grey.png", "cannot hold 4096×4096 pixels")
    }

    func testPGMDeclaringAHugeImageInATinyFileIsRefused() {
        let large = Array("P5\n30000 30000\n255\n".utf8) + [0, 0, 0]
        assertMentions(message { try PGMReader.decode(large, file: "large.pgm") }, "large.pgm", "30000×30000")
        let wide = Array("P5 16777216 16777216 255 ".utf8)
        assertMentions(message { try PGMReader.decode(wide, file: "wide.pgm") }, "wide.pgm", "16777216×16777216")
        let binary = Array("P5 4000 4000 255 ".utf8) + [1, 2, 3]
        assertMentions(
            message { try PGMReader.decode(binary, file: "short.pgm") },
            "expected 16000000 pixel bytes, found 3")
        let ascii = Array("P2 4000 4000 255 7 8".utf8)
        assertMentions(
            message { try PGMReader.decode(ascii, file: "short.pgm") },
            "expected 16000000 pixel values, found 2")
    }

    func testGzipBombIsStoppedAtTheLimit() throws {
        // Many gzip members of 1 MiB of zeros each: a few kilobytes that inflate to `members` MiB.
        let member = Gzip.compress([UInt8](repeating: 0, count: 1 << 20), level: 9)
        let bomb = Array([[UInt8]](repeating: member, count: 64).joined())
        XCTAssertLessThan(bomb.count, 100_000)
        assertMentions(
            message { try Gzip.decompress(bomb, file: "bomb.gz", limit: 16 << 20) },
            "bomb.gz", "decompressed content", "limit of 16777216")
        XCTAssertEqual(try Gzip.decompress(bomb, file: "bomb.gz", limit: 64 << 20).count, 64 << 20)
        let path = folder.write("bomb.gz", bomb)
        assertMentions(message { try FileBytes.read(path, limit: 1 << 20) }, "bomb.gz", "limit")
    }

    func testCSVLabelsAndShapesAreBounded() {
        let labels = folder.write("labels.csv", text: "2147483647,0,0,0,0\n")
        assertMentions(message { try CSVReader.read(path: labels) }, "labels.csv:1", "expected 0..<65536")
        let shaped = folder.write("shaped.csv", text: "1,0\n")
        assertMentions(
            message { try CSVReader.read(path: shaped, imageShape: [1 << 62, 1, 1]) },
            "shaped.csv", "each side")
        assertMentions(message { try CSVReader.read(path: shaped, imageShape: [8192, 8192, 4096]) }, "at most")
    }
}
