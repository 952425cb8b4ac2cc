import Foundation
import XCTest
@testable import QuorumData

/// A fresh folder for one test's files, removed when the test ends.
final class TemporaryFolder {
    let path: String

    init() {
        path = (NSTemporaryDirectory() as NSString).appendingPathComponent("quorum-data-tests-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `bytes` to `name` in the folder and returns the file's path.
    @discardableResult
    func write(_ name: String, _ bytes: [UInt8]) -> String {
        let p = (path as NSString).appendingPathComponent(name)
        XCTAssertTrue(FileManager.default.createFile(atPath: p, contents: Data(bytes)), "cannot write \(p)")
        return p
    }

    /// Writes `text` as UTF-8 to `name` and returns the file's path.
    @discardableResult
    func write(_ name: String, text: String) -> String { write(name, Array(text.utf8)) }
}

/// Builders for small IDX files.
enum IDX {
    static func bigEndian(_ v: UInt32) -> [UInt8] {
        [
            UInt8(v >> 24), UInt8(truncatingIfNeeded: v >> 16), UInt8(truncatingIfNeeded: v >> 8),
            UInt8(truncatingIfNeeded: v)
        ]
    }

    /// An image file of `count` images of rows × cols whose pixel i of image k is (k * 31 + i) % 256.
    static func images(count: Int, rows: Int, cols: Int, magic: UInt32 = 0x0803) -> [UInt8] {
        var b = bigEndian(magic) + bigEndian(UInt32(count)) + bigEndian(UInt32(rows)) + bigEndian(UInt32(cols))
        for k in 0..<count { for i in 0..<(rows * cols) { b.append(UInt8((k * 31 + i) % 256)) } }
        return b
    }

    /// A label file holding `labels`.
    static func labels(_ labels: [UInt8], magic: UInt32 = 0x0801) -> [UInt8] {
        bigEndian(magic) + bigEndian(UInt32(labels.count)) + labels
    }
}

/// Asserts that `body` throws a `DataError` equal to `expected`, and that its message names `mentions`.
func assertDataError<T>(
    _ expected: DataError, mentions: [String] = [], file: StaticString = #filePath, line: UInt = #line,
    _ body: () throws -> T
) {
    do {
        _ = try body()
        XCTFail("expected \(expected)", file: file, line: line)
    } catch let error as DataError {
        XCTAssertEqual(error, expected, file: file, line: line)
        for m in mentions {
            XCTAssertTrue(error.description.contains(m), "'\(error)' should mention '\(m)'", file: file, line: line)
        }
    } catch {
        XCTFail("unexpected error \(error)", file: file, line: line)
    }
}

/// A small data set with `perClass[c]` images of class c, each image of shape `shape` filled with
/// values that differ between images.
func makeDataset(perClass: [Int], shape: [Int] = [4, 4, 1]) -> Dataset {
    var labels: [Int32] = []
    for (c, n) in perClass.enumerated() { labels += [Int32](repeating: Int32(c), count: n) }
    let size = shape.reduce(1, *)
    var pixels: [UInt8] = []
    for k in 0..<labels.count { for i in 0..<size { pixels.append(UInt8((k * 7 + i * 13) % 256)) } }
    return Dataset(
        name: "synthetic", imageShape: shape, pixels: pixels, labels: labels,
        classNames: (0..<perClass.count).map(String.init))
}
