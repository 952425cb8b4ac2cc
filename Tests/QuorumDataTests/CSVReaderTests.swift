import XCTest
@testable import QuorumData

final class CSVReaderTests: XCTestCase {
    func testHeaderIsSkippedAndSquareShapeInferred() throws {
        let dir = TemporaryFolder()
        let path = dir.write("d.csv", text: "label,p1,p2,p3,p4\r\n3,0,255,10,20\r\n1, 1,2,3,4\n\n")
        let d = try CSVReader.read(path: path)
        XCTAssertEqual(d.imageShape, [2, 2, 1])
        XCTAssertEqual(d.labels, [3, 1])
        XCTAssertEqual(d.pixels, [0, 255, 10, 20, 1, 2, 3, 4])
        XCTAssertEqual(d.numClasses, 4)
    }

    func testGivenShapeAndGzippedCSV() throws {
        let dir = TemporaryFolder()
        let path = dir.write("d.csv.gz", Gzip.compress(Array("0,1,2,3,4,5,6\n1,6,5,4,3,2,1\n".utf8)))
        let d = try CSVReader.read(path: path, imageShape: [1, 2, 3])
        XCTAssertEqual(d.imageShape, [1, 2, 3])
        XCTAssertEqual(d.count, 2)
    }

    func testBadLinesNameTheLineNumber() {
        let dir = TemporaryFolder()
        let badValue = dir.write("a.csv", text: "label,a,b,c,d\n1,0,0,0,0\n2,0,x,0,0\n")
        assertDataError(
            .badCSV(file: badValue, line: 3, reason: "field 3 is not an integer (unexpected 'x')"),
            mentions: ["a.csv:3"]
        ) {
            try CSVReader.read(path: badValue)
        }
        let tooBig = dir.write("b.csv", text: "1,0,0,0,0\n2,0,256,0,0\n")
        assertDataError(.badCSV(file: tooBig, line: 2, reason: "pixel 2 is 256, expected 0–255")) {
            try CSVReader.read(path: tooBig)
        }
        let short = dir.write("c.csv", text: "1,0,0,0,0\n2,0,0,0\n")
        assertDataError(.badCSV(file: short, line: 2, reason: "4 fields, expected 5 (label + pixels)")) {
            try CSVReader.read(path: short)
        }
        let negative = dir.write("d.csv", text: "1,0,0,0,0\n-2,0,0,0,0\n")
        XCTAssertThrowsError(try CSVReader.read(path: negative)) { XCTAssertTrue("\($0)".contains("d.csv:2"), "\($0)") }
        let ranged = dir.write("e.csv", text: "1,0,0,0,0\n7,0,0,0,0\n")
        XCTAssertThrowsError(try CSVReader.read(path: ranged, classes: 5)) {
            XCTAssertTrue("\($0)".contains("e.csv:2"), "\($0)")
        }
    }

    func testNonSquareNeedsAShapeAndEmptyFilesFail() {
        let dir = TemporaryFolder()
        let odd = dir.write("odd.csv", text: "1,0,0,0\n")
        XCTAssertThrowsError(try CSVReader.read(path: odd)) { XCTAssertTrue("\($0)".contains("not a square"), "\($0)") }
        let headerOnly = dir.write("h.csv", text: "label,p1\n")
        assertDataError(.emptyFile(file: headerOnly)) { try CSVReader.read(path: headerOnly) }
    }
}
