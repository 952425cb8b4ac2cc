import Foundation

/// Reads the CIFAR-10 binary batches: records of one label byte and 3072 image bytes (3 planes of 32×32,
/// red, green, blue), converted to HWC at load so every data set in Quorum is NHWC.
public enum CIFAR10Reader {
    /// Bytes per record: the label and a 3×32×32 image.
    public static let recordSize = 3073
    /// The class names of CIFAR-10, used when no `batches.meta.txt` lies beside the files.
    public static let classNames = [
        "airplane", "automobile", "bird", "cat", "deer",
        "dog", "frog", "horse", "ship", "truck"
    ]

    /// Reads and concatenates the batch files, in the given order.
    public static func read(paths: [String]) throws -> Dataset {
        var pixels = [UInt8]()
        var labels = [Int32]()
        for path in paths {
            try append(FileBytes.read(path), path: path, pixels: &pixels, labels: &labels)
        }
        let names = try paths.first.map { try metaClassNames(besides: $0) } ?? nil
        return Dataset(
            name: "cifar-10", imageShape: [32, 32, 3], pixels: pixels, labels: labels,
            classNames: names ?? classNames)
    }

    /// Reads one batch file's bytes already in memory (decompressed); `path` names them in errors and
    /// locates `batches.meta.txt`.
    public static func read(bytes: [UInt8], path: String) throws -> Dataset {
        var pixels = [UInt8]()
        var labels = [Int32]()
        try append(bytes, path: path, pixels: &pixels, labels: &labels)
        return Dataset(
            name: "cifar-10", imageShape: [32, 32, 3], pixels: pixels, labels: labels,
            classNames: try metaClassNames(besides: path) ?? classNames)
    }

    /// Converts the records of one batch file to HWC and appends them.
    private static func append(_ bytes: [UInt8], path: String, pixels: inout [UInt8], labels: inout [Int32]) throws {
        guard bytes.count % recordSize == 0 else {
            throw DataError.badRecordLength(file: path, length: bytes.count, recordSize: recordSize)
        }
        let n = bytes.count / recordSize
        pixels.reserveCapacity(pixels.count + n * 3072)
        labels.reserveCapacity(labels.count + n)
        var hwc = [UInt8](repeating: 0, count: 3072)
        for r in 0..<n {
            let base = r * recordSize
            let label = Int(bytes[base])
            guard label < 10 else { throw DataError.labelOutOfRange(file: path, item: r, label: label, classes: 10) }
            labels.append(Int32(label))
            for c in 0..<3 {
                for p in 0..<1024 { hwc[p * 3 + c] = bytes[base + 1 + c * 1024 + p] }
            }
            pixels.append(contentsOf: hwc)
        }
    }

    /// The class names in `batches.meta.txt` in the folder of `path`, if that file exists.
    static func metaClassNames(besides path: String) throws -> [String]? {
        let meta = (URL(fileURLWithPath: path).deletingLastPathComponent().path as NSString)
            .appendingPathComponent("batches.meta.txt")
        guard FileManager.default.fileExists(atPath: meta) else { return nil }
        let text = String(decoding: try FileBytes.readRaw(meta), as: UTF8.self)
        let names = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter {
            !$0.isEmpty
        }
        guard names.count == 10 else {
            throw DataError.badDimension(file: meta, reason: "\(names.count) class names, expected 10")
        }
        return names
    }
}
