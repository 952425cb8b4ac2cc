import Foundation
import QuorumCore

/// Small IDX data sets written on the fly, so cluster tests train and ship real data in milliseconds.
public enum IDXFixture {
    /// An IDX header: the magic number, then each dimension, all big-endian 32-bit.
    public static func header(_ magic: UInt32, _ dims: [UInt32]) -> Data {
        var d = Data()
        for v in [magic] + dims {
            d.append(contentsOf: [UInt8(v >> 24), UInt8(v >> 16 & 255), UInt8(v >> 8 & 255), UInt8(v & 255)])
        }
        return d
    }

    /// `train`/`t10k` image and label files of `side`×`side` pixels and labels cycling through 3 classes.
    public static func write(_ folder: URL, train: Int = 40, test: Int = 12, side: Int = 6) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (prefix, count) in [("train", train), ("t10k", test)] {
            var images = header(0x0803, [UInt32(count), UInt32(side), UInt32(side)])
            images.append(contentsOf: (0..<count * side * side).map { UInt8(($0 * 37 + count) % 256) })
            var labels = header(0x0801, [UInt32(count)])
            labels.append(contentsOf: (0..<count).map { UInt8($0 % 3) })
            try images.write(to: folder.appendingPathComponent("\(prefix)-images-idx3-ubyte"))
            try labels.write(to: folder.appendingPathComponent("\(prefix)-labels-idx1-ubyte"))
        }
    }

    /// `NAME-images-idx3-ubyte` and `NAME-labels-idx1-ubyte` in `folder`: `count` 8×8 grey images of ten
    /// classes, a bright square whose place depends on the class over seeded noise, so a small network learns
    /// them in a few epochs. Returns the two paths.
    public static func writeSquares(
        _ folder: URL, _ name: String, count: Int, seed: UInt64
    ) throws -> (images: String, labels: String) {
        var g = SeededGenerator(seed: seed)
        var pixels: [UInt8] = [], labels: [UInt8] = []
        for _ in 0..<count {
            let label = g.nextInt(below: 10)
            labels.append(UInt8(label))
            for y in 0..<8 {
                for x in 0..<8 {
                    let lit = y / 3 == label / 3 && x / 3 == label % 3
                    pixels.append(UInt8(truncatingIfNeeded: (lit ? 170 : 20) + g.nextInt(below: 80)))
                }
            }
        }
        let images = folder.appendingPathComponent("\(name)-images-idx3-ubyte")
        let labelFile = folder.appendingPathComponent("\(name)-labels-idx1-ubyte")
        try (header(0x0803, [UInt32(count), 8, 8]) + pixels).write(to: images)
        try (header(0x0801, [UInt32(count)]) + labels).write(to: labelFile)
        return (images.path, labelFile.path)
    }
}
