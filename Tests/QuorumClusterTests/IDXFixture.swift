import Foundation

/// A tiny IDX data set on disk (train: 40 images, test: 12, 12×12 pixels, 3 classes), as the four files of
/// an MNIST-style folder.
enum IDXFixture {
    static let side = 12, trainCount = 40, testCount = 12, classes = 3

    /// Bytes of one images file of `count` images.
    static func imageFileBytes(_ count: Int) -> Int { 16 + count * side * side }

    /// Writes the four files into `folder` (created when missing).
    static func write(_ folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        func header(_ magic: UInt32, _ dims: [UInt32]) -> Data {
            var d = Data()
            for v in [magic] + dims {
                d.append(contentsOf: [UInt8(v >> 24), UInt8(v >> 16 & 255), UInt8(v >> 8 & 255), UInt8(v & 255)])
            }
            return d
        }
        for (prefix, count) in [("train", trainCount), ("t10k", testCount)] {
            var images = header(0x0803, [UInt32(count), UInt32(side), UInt32(side)])
            images.append(contentsOf: (0..<count * side * side).map { UInt8(($0 * 37 + count) % 256) })
            var labels = header(0x0801, [UInt32(count)])
            labels.append(contentsOf: (0..<count).map { UInt8($0 % classes) })
            try images.write(to: folder.appendingPathComponent("\(prefix)-images-idx3-ubyte"))
            try labels.write(to: folder.appendingPathComponent("\(prefix)-labels-idx1-ubyte"))
        }
    }
}
