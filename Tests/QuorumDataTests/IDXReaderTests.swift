import XCTest
@testable import QuorumData

final class IDXReaderTests: XCTestCase {
    func testReadsImagesAndLabels() throws {
        let dir = TemporaryFolder()
        let images = dir.write("img", IDX.images(count: 3, rows: 2, cols: 4))
        let labels = dir.write("lab", IDX.labels([2, 0, 9]))
        let d = try IDXReader.read(images: images, labels: labels, name: "t", classNames: (0..<10).map(String.init))
        XCTAssertEqual(d.count, 3)
        XCTAssertEqual(d.imageShape, [2, 4, 1])
        XCTAssertEqual(d.labels, [2, 0, 9])
        XCTAssertEqual(d.image(1), (0..<8).map { UInt8(31 + $0) })
    }

    func testGzipRoundTripThroughFile() throws {
        let dir = TemporaryFolder()
        let raw = IDX.images(count: 5, rows: 3, cols: 3)
        // A name without .gz: gzip is recognised by its magic bytes, not the name.
        let path = dir.write("images-compressed", Gzip.compress(raw))
        let fromGzip = try IDXReader.readImages(path: path)
        let fromRaw = try IDXReader.readImages(path: dir.write("images-raw", raw))
        XCTAssertEqual(fromGzip.pixels, fromRaw.pixels)
        XCTAssertEqual(fromGzip.count, 5)
        let labels = try IDXReader.readLabels(path: dir.write("l.gz", Gzip.compress(IDX.labels([1, 2, 3]))))
        XCTAssertEqual(labels, [1, 2, 3])
    }

    func testWrongMagicNamesTheValueFound() {
        let dir = TemporaryFolder()
        let path = dir.write("img", IDX.images(count: 1, rows: 2, cols: 2, magic: 0x0801))
        assertDataError(
            .badMagic(file: path, expected: 0x803, found: 0x801), mentions: [path, "0x00000801", "0x00000803"]
        ) {
            try IDXReader.readImages(path: path)
        }
        let labels = dir.write("lab", IDX.labels([1], magic: 0x0803))
        assertDataError(.badMagic(file: labels, expected: 0x801, found: 0x803)) {
            try IDXReader.readLabels(path: labels)
        }
    }

    func testTruncatedAndOverlongFilesGiveByteCounts() {
        let dir = TemporaryFolder()
        let full = IDX.images(count: 2, rows: 3, cols: 3)
        let short = dir.write("short", Array(full.dropLast(5)))
        assertDataError(.truncated(file: short, expected: 34, actual: 29), mentions: ["34", "29"]) {
            try IDXReader.readImages(path: short)
        }
        let long = dir.write("long", full + [0])
        assertDataError(.trailingBytes(file: long, expected: 34, actual: 35)) { try IDXReader.readImages(path: long) }
        let header = dir.write("header", Array(full.prefix(10)))
        assertDataError(.truncated(file: header, expected: 16, actual: 10)) { try IDXReader.readImages(path: header) }
        let labels = dir.write("labels", Array(IDX.labels([1, 2, 3]).dropLast()))
        assertDataError(.truncated(file: labels, expected: 11, actual: 10)) { try IDXReader.readLabels(path: labels) }
    }

    func testImageAndLabelCountMismatch() {
        let dir = TemporaryFolder()
        let images = dir.write("img", IDX.images(count: 3, rows: 2, cols: 2))
        let labels = dir.write("lab", IDX.labels([1, 2]))
        assertDataError(
            .countMismatch(images: images, imageCount: 3, labels: labels, labelCount: 2),
            mentions: ["3 images", "2 labels"]
        ) {
            try IDXReader.read(images: images, labels: labels, name: "t", classNames: (0..<10).map(String.init))
        }
    }

    func testLabelOutOfRange() {
        let dir = TemporaryFolder()
        let images = dir.write("img", IDX.images(count: 3, rows: 2, cols: 2))
        let labels = dir.write("lab", IDX.labels([1, 12, 2]))
        assertDataError(.labelOutOfRange(file: labels, item: 1, label: 12, classes: 10), mentions: [labels, "12"]) {
            try IDXReader.read(images: images, labels: labels, name: "t", classNames: (0..<10).map(String.init))
        }
    }

    func testCorruptGzipStream() {
        let dir = TemporaryFolder()
        var gz = Gzip.compress(IDX.images(count: 20, rows: 8, cols: 8))
        for i in 12..<min(gz.count - 8, 40) { gz[i] ^= 0x5a }
        let corrupt = dir.write("corrupt.gz", gz)
        XCTAssertThrowsError(try IDXReader.readImages(path: corrupt)) { error in
            guard case DataError.corruptGzip(let file, _)? = error as? DataError else { return XCTFail("\(error)") }
            XCTAssertEqual(file, corrupt)
        }
        let cut = dir.write("cut.gz", Array(Gzip.compress(IDX.images(count: 20, rows: 8, cols: 8)).prefix(60)))
        XCTAssertThrowsError(try IDXReader.readImages(path: cut)) { error in
            guard case DataError.corruptGzip(_, let reason)? = error as? DataError else { return XCTFail("\(error)") }
            XCTAssertTrue(reason.contains("ends early"), reason)
        }
    }

    func testEmptyAndMissingFiles() {
        let dir = TemporaryFolder()
        let empty = dir.write("empty", [])
        assertDataError(.emptyFile(file: empty), mentions: [empty]) { try IDXReader.readImages(path: empty) }
        let missing = dir.path + "/nope"
        assertDataError(.unreadable(file: missing, reason: "no such file")) { try IDXReader.readLabels(path: missing) }
        assertDataError(.unreadable(file: dir.path, reason: "it is a directory")) {
            try IDXReader.readLabels(path: dir.path)
        }
    }

    func testConcatenatedGzipMembersAreOneStream() throws {
        let a: [UInt8] = Array(0..<100), b: [UInt8] = Array(100..<250)
        XCTAssertEqual(try Gzip.decompress(Gzip.compress(a) + Gzip.compress(b), file: "x"), a + b)
        XCTAssertTrue(Gzip.isGzip(Gzip.compress([])))
        XCTAssertFalse(Gzip.isGzip(a))
    }
}
