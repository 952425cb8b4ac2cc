import Foundation
import QuorumCore
import XCTest
@testable import QuorumData

/// The TurboJPEG reader against pixels decoded by Pillow (scripts/make_jpeg_fixtures.py). Two libjpeg builds
/// may take other IDCT and upsampling paths, so each value may differ from Pillow's by at most 2.
final class JPEGReaderTests: XCTestCase {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/jpeg").path

    struct Expected: Decodable {
        let height: Int
        let width: Int
        let channels: Int
        let pixels: [UInt8]
    }

    static func fixture(_ name: String) -> String { folder + "/" + name }

    func testEveryFixtureMatchesPillowWithinTwo() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: Self.fixture("expected.json")))
        let expected = try JSONDecoder().decode([String: Expected].self, from: data)
        XCTAssertEqual(
            Set(expected.keys),
            [
                "grey.jpg", "colour.jpg", "colour444.jpg", "progressive.jpg",
                "progressive-grey.jpg", "restart.jpg"
            ])
        for (name, want) in expected.sorted(by: { $0.key < $1.key }) {
            let image = try JPEGReader.read(path: Self.fixture(name))
            XCTAssertEqual(image.imageShape, [want.height, want.width, want.channels], name)
            XCTAssertEqual(image.pixels.count, want.pixels.count, name)
            let worst = zip(image.pixels, want.pixels).map { abs(Int($0) - Int($1)) }.max() ?? 0
            XCTAssertLessThanOrEqual(worst, 2, "\(name): a value differs from Pillow's by \(worst)")
        }
    }

    func testTruncatedFileIsATypedErrorNamingTheFile() {
        let path = Self.fixture("truncated.jpg")
        XCTAssertThrowsError(try JPEGReader.read(path: path)) { error in
            guard case ImageFileError.truncated(let file, _) = error else {
                return XCTFail("expected truncated, got \(error)")
            }
            XCTAssertEqual(file, path)
            XCTAssertTrue("\(error)".contains("truncated.jpg"), "\(error)")
            XCTAssertTrue("\(error)".contains("Premature end"), "libjpeg's own words: \(error)")
        }
        // Cut inside the headers, before the scan starts.
        let whole = [UInt8](try! Data(contentsOf: URL(fileURLWithPath: Self.fixture("colour.jpg"))))
        XCTAssertThrowsError(try JPEGReader.decode(Array(whole.prefix(300)), file: "cut.jpg")) { error in
            guard case ImageFileError.truncated = error else { return XCTFail("expected truncated, got \(error)") }
        }
    }

    func testCorruptBytesAfterTheSignatureAreAnErrorNotACrash() {
        var rng = SeededGenerator(seed: 7)
        for length in [3, 4, 20, 200] {
            let bytes = [0xFF, 0xD8, 0xFF] + (3..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
            XCTAssertThrowsError(try JPEGReader.decode(bytes, file: "noise.jpg")) { error in
                XCTAssertTrue(error is ImageFileError, "\(error)")
                XCTAssertTrue("\(error)".hasPrefix("noise.jpg: "), "\(error)")
            }
        }
        XCTAssertThrowsError(try JPEGReader.decode(Array("not a jpeg".utf8), file: "x.jpg")) { error in
            XCTAssertEqual(error as? ImageFileError, .badSignature(file: "x.jpg", format: "JPEG"))
        }
    }

    func testDeclaredSizeAboveTheLimitIsRefusedBeforeDecoding() throws {
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.fixture("grey.jpg"))))
        // SOF0: FF C0, length (2), precision (1), height (2), width (2).
        let sof = try XCTUnwrap((0..<(bytes.count - 1)).first { bytes[$0] == 0xFF && bytes[$0 + 1] == 0xC0 })
        bytes[sof + 5] = 0xEA; bytes[sof + 6] = 0x60  // height 60000
        bytes[sof + 7] = 0xEA; bytes[sof + 8] = 0x60  // width 60000
        XCTAssertThrowsError(try JPEGReader.decode(bytes, file: "huge.jpg")) { error in
            guard case ImageFileError.badHeader(let file, let reason) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(file, "huge.jpg")
            XCTAssertTrue(reason.contains("60000"), reason)
        }
    }

    func testScaledDecodingPicksTheSmallestDCTScaleThatCoversTheTarget() throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.fixture("progressive.jpg"))))  // 20 × 24
        let cases: [((Int, Int), [Int])] = [
            ((5, 6), [5, 6, 3]), ((6, 6), [8, 9, 3]), ((1, 1), [3, 3, 3]),
            ((20, 24), [20, 24, 3]), ((30, 30), [20, 24, 3])
        ]
        for (target, shape) in cases {
            let result = try JPEGReader.decodeWithSize(bytes, file: "p.jpg", atLeast: target)
            XCTAssertEqual(result.image.imageShape, shape, "at least \(target)")
            XCTAssertEqual(result.declaredShape, [20, 24, 3])
        }
        // A cut-off file is still found at the smallest scale: every byte is entropy-decoded.
        let cut = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Self.fixture("truncated.jpg"))))
        XCTAssertThrowsError(try JPEGReader.decode(cut, file: "cut.jpg", atLeast: (1, 1))) { error in
            guard case ImageFileError.truncated = error else { return XCTFail("expected truncated, got \(error)") }
        }
    }
}
