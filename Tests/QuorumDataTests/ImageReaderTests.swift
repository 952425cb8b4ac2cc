import XCTest
@testable import QuorumData

final class ImageReaderTests: XCTestCase {
    /// Pixels that vary in both directions, so every filter predicts something different from the raw value.
    private func pattern(_ count: Int, seed: Int = 7) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: ($0 * 37 + seed) ^ ($0 >> 3) * 11) }
    }

    func testPNGGreyRGBAndRGBAWithEveryFilter() throws {
        let w = 7, h = 10
        for (colour, samples) in [(UInt8(0), 1), (2, 3), (4, 2), (6, 4)] {
            for filters in [[UInt8(0)], [1], [2], [3], [4], [0, 1, 2, 3, 4]] {
                for compressed in [false, true] {
                    let pixels = pattern(w * h * samples, seed: Int(colour))
                    let file = PNGEncoder.encode(
                        width: w, height: h, colourType: colour, samples: samples, pixels: pixels,
                        filters: filters, compressed: compressed)
                    let image = try PNGReader.decode(file, file: "t.png")
                    XCTAssertEqual(image.imageShape, [h, w, samples], "colour type \(colour)")
                    XCTAssertEqual(
                        image.pixels, pixels, "colour type \(colour), filters \(filters), compressed \(compressed)")
                }
            }
        }
    }

    func testPNGPaletteExpandsToRGBAndUsesTransparency() throws {
        let palette: [UInt8] = [0, 0, 0, 255, 0, 0, 0, 255, 0, 10, 20, 30]
        let indices: [UInt8] = [0, 1, 2, 3, 3, 2, 1, 0, 1]
        let file = PNGEncoder.encode(
            width: 3, height: 3, colourType: 3, samples: 1, pixels: indices,
            filters: [4, 1, 3], palette: palette)
        let image = try PNGReader.decode(file, file: "p.png")
        XCTAssertEqual(image.imageShape, [3, 3, 3])
        XCTAssertEqual(image.pixels, indices.flatMap { Array(palette[Int($0) * 3..<Int($0) * 3 + 3]) })

        let withAlpha = PNGEncoder.encode(
            width: 3, height: 3, colourType: 3, samples: 1, pixels: indices,
            palette: palette, transparency: [0, 128])
        let rgba = try PNGReader.decode(withAlpha, file: "a.png")
        XCTAssertEqual(rgba.imageShape, [3, 3, 4])
        XCTAssertEqual(rgba.pixels[3], 0, "index 0 is fully transparent")
        XCTAssertEqual(rgba.pixels[7], 128)
        XCTAssertEqual(rgba.pixels[11], 255, "entries past tRNS are opaque")
    }

    func testPNGRefusesInterlacedAndSixteenBitWithAClearMessage() {
        let interlaced = PNGEncoder.encode(
            width: 2, height: 2, colourType: 0, samples: 1, pixels: [1, 2, 3, 4], interlace: 1)
        XCTAssertThrowsError(try PNGReader.decode(interlaced, file: "i.png")) { error in
            XCTAssertTrue("\(error)".contains("i.png") && "\(error)".contains("interlac"), "\(error)")
        }
        let deep = PNGEncoder.encode(
            width: 2, height: 2, colourType: 0, samples: 2, pixels: [UInt8](repeating: 9, count: 8), bitDepth: 16)
        XCTAssertThrowsError(try PNGReader.decode(deep, file: "d.png")) { error in
            XCTAssertTrue("\(error)".contains("d.png") && "\(error)".contains("bit depth 16"), "\(error)")
        }
    }

    func testCorruptPNGsNameTheFileAndTheProblem() {
        let good = PNGEncoder.encode(
            width: 4, height: 4, colourType: 0, samples: 1, pixels: pattern(16), filters: [2], compressed: true)
        XCTAssertNoThrow(try PNGReader.decode(good, file: "g.png"))
        var badCRC = good
        badCRC[20] ^= 0xff  // inside IHDR's data
        var badSignature = good
        badSignature[1] = 0x51
        let badFilter = PNGEncoder.encode(width: 2, height: 1, colourType: 0, samples: 1, pixels: [1, 2], filters: [9])
        let noEnd = Array(good.dropLast(12))
        let cut = Array(good.prefix(good.count - 30))
        let shortRows =
            PNGReader.signature
            + PNGEncoder.chunk("IHDR", PNGEncoder.be(4) + PNGEncoder.be(5) + [8, 0, 0, 0, 0])
            + PNGEncoder.chunk("IDAT", PNGEncoder.storedZlib([0, 1, 2, 3, 4])) + PNGEncoder.chunk("IEND", [])
        let garbageStream =
            PNGReader.signature + PNGEncoder.chunk("IHDR", PNGEncoder.be(2) + PNGEncoder.be(2) + [8, 0, 0, 0, 0])
            + PNGEncoder.chunk("IDAT", [0x78, 0x9c, 0xff, 0xff, 0xff, 0x00]) + PNGEncoder.chunk("IEND", [])
        let cases: [(String, [UInt8], String)] = [
            ("crc.png", badCRC, "CRC"), ("sig.png", badSignature, "signature"),
            ("filter.png", badFilter, "filter type 9"),
            ("noend.png", noEnd, "IEND"), ("cut.png", cut, "truncated"), ("rows.png", shortRows, "expected 25"),
            ("zlib.png", garbageStream, "zlib"), ("empty.png", [], "signature")
        ]
        for (name, bytes, expected) in cases {
            XCTAssertThrowsError(try PNGReader.decode(bytes, file: name), name) { error in
                XCTAssertTrue("\(error)".hasPrefix(name), "\(error)")
                XCTAssertTrue("\(error)".contains(expected), "\(name): \(error)")
            }
        }
    }

    func testPGMBinaryAndASCIIWithCommentsAndMaxval() throws {
        let p5 = Array("P5\n# a comment\n3 2\n255\n".utf8) + [0, 10, 20, 30, 40, 255]
        let image = try PGMReader.decode(p5, file: "a.pgm")
        XCTAssertEqual(image.imageShape, [2, 3, 1])
        XCTAssertEqual(image.pixels, [0, 10, 20, 30, 40, 255])

        let p2 = Array("P2\n3 2 # width height\n15\n0 1 2\n# mid\n3 14 15\n".utf8)
        let ascii = try PGMReader.decode(p2, file: "b.pgm")
        XCTAssertEqual(ascii.pixels, [0, 17, 34, 51, 238, 255], "scaled from 0...15 to 0...255")
    }

    func testCorruptPGMsNameTheFileAndTheProblem() {
        let cases: [(String, [UInt8], String)] = [
            ("short.pgm", Array("P5 3 2 255\n".utf8) + [1, 2, 3], "expected 6 pixel bytes"),
            ("few.pgm", Array("P2 2 2 255 1 2 3".utf8), "expected 4 pixel values, found 3"),
            ("word.pgm", Array("P2 two 2 255".utf8), "width"),
            ("zero.pgm", Array("P5 0 2 255\n".utf8), "size 0×2"),
            ("deep.pgm", Array("P5 1 1 65535\n".utf8) + [0, 0], "16-bit"),
            ("above.pgm", Array("P2 1 1 10 11".utf8), "above the maximum value"),
            ("magic.pgm", Array("P6 1 1 255\n".utf8) + [0, 0, 0], "signature"),
            ("header.pgm", Array("P5 4".utf8), "height")
        ]
        for (name, bytes, expected) in cases {
            XCTAssertThrowsError(try PGMReader.decode(bytes, file: name), name) { error in
                XCTAssertTrue("\(error)".hasPrefix(name), "\(error)")
                XCTAssertTrue("\(error)".contains(expected), "\(name): \(error)")
            }
        }
    }

    func testReadersReadFromDiskAndReportMissingFiles() throws {
        let folder = TemporaryFolder()
        let png = folder.write(
            "x.png", PNGEncoder.encode(width: 2, height: 1, colourType: 0, samples: 1, pixels: [5, 6]))
        XCTAssertEqual(try PNGReader.read(path: png).pixels, [5, 6])
        let pgm = folder.write("x.pgm", Array("P5 2 1 255\n".utf8) + [7, 8])
        XCTAssertEqual(try PGMReader.read(path: pgm).pixels, [7, 8])
        XCTAssertThrowsError(try PNGReader.read(path: folder.path + "/missing.png")) { error in
            XCTAssertTrue("\(error)".contains("missing.png"), "\(error)")
        }
    }
}
