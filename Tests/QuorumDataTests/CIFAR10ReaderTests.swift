import XCTest
@testable import QuorumData

final class CIFAR10ReaderTests: XCTestCase {
    /// A record whose red plane is all `r`, green all `g`, blue all `b`, except pixel 5 of red which is 200.
    private func record(label: UInt8, r: UInt8, g: UInt8, b: UInt8) -> [UInt8] {
        var red = [UInt8](repeating: r, count: 1024)
        red[5] = 200
        return [label] + red + [UInt8](repeating: g, count: 1024) + [UInt8](repeating: b, count: 1024)
    }

    func testReadsRecordsAndConvertsCHWToHWC() throws {
        let dir = TemporaryFolder()
        let first = dir.write(
            "data_batch_1.bin", record(label: 3, r: 10, g: 20, b: 30) + record(label: 9, r: 1, g: 2, b: 3))
        let second = dir.write("data_batch_2.bin", record(label: 0, r: 5, g: 6, b: 7))
        let d = try CIFAR10Reader.read(paths: [first, second])
        XCTAssertEqual(d.count, 3)
        XCTAssertEqual(d.imageShape, [32, 32, 3])
        XCTAssertEqual(d.labels, [3, 9, 0])
        XCTAssertEqual(d.classNames[0], "airplane")
        XCTAssertEqual(d.classNames[9], "truck")
        let image = d.image(0)
        XCTAssertEqual(Array(image[0..<3]), [10, 20, 30])
        XCTAssertEqual(Array(image[15..<18]), [200, 20, 30], "pixel 5 of the red plane is pixel 5's red channel")
        XCTAssertEqual(Array(d.image(2)[0..<3]), [5, 6, 7])
    }

    func testLengthMustBeWholeRecords() {
        let dir = TemporaryFolder()
        let path = dir.write("bad.bin", record(label: 1, r: 0, g: 0, b: 0) + [1, 2])
        assertDataError(.badRecordLength(file: path, length: 3075, recordSize: 3073), mentions: ["3075", "3073"]) {
            try CIFAR10Reader.read(paths: [path])
        }
    }

    func testLabelOutOfRange() {
        let dir = TemporaryFolder()
        let path = dir.write("bad.bin", record(label: 1, r: 0, g: 0, b: 0) + record(label: 10, r: 0, g: 0, b: 0))
        assertDataError(.labelOutOfRange(file: path, item: 1, label: 10, classes: 10)) {
            try CIFAR10Reader.read(paths: [path])
        }
    }

    func testClassNamesFromMetaFile() throws {
        let dir = TemporaryFolder()
        let names = (0..<10).map { "class\($0)" }
        dir.write("batches.meta.txt", text: names.joined(separator: "\n") + "\n\n")
        let path = dir.write("test_batch.bin", record(label: 4, r: 0, g: 0, b: 0))
        XCTAssertEqual(try CIFAR10Reader.read(paths: [path]).classNames, names)
    }
}
