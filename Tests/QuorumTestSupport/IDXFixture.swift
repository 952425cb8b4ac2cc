import Foundation

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
}
