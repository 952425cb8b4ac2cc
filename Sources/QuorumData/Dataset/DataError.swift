/// Why a data set could not be read or resolved. Every message names the file (or spec) and the problem.
public enum DataError: Error, CustomStringConvertible, Equatable {
    /// The file could not be opened or read.
    case unreadable(file: String, reason: String)
    /// The file holds no bytes at all.
    case emptyFile(file: String)
    /// The leading magic number is not the one the format requires.
    case badMagic(file: String, expected: UInt32, found: UInt32)
    /// The file is shorter than its header (or record size) says it must be.
    case truncated(file: String, expected: Int, actual: Int)
    /// The file is longer than its header says; the extra bytes mean it is not what it claims to be.
    case trailingBytes(file: String, expected: Int, actual: Int)
    /// A dimension in a header is zero, negative or otherwise unusable.
    case badDimension(file: String, reason: String)
    /// The image file and the label file disagree on how many items there are.
    case countMismatch(images: String, imageCount: Int, labels: String, labelCount: Int)
    /// A label is not below the number of classes.
    case labelOutOfRange(file: String, item: Int, label: Int, classes: Int)
    /// The gzip stream cannot be decompressed.
    case corruptGzip(file: String, reason: String)
    /// A CSV line cannot be parsed (`line` counts from 1).
    case badCSV(file: String, line: Int, reason: String)
    /// A file of fixed-size records is not a whole number of records long.
    case badRecordLength(file: String, length: Int, recordSize: Int)
    /// A file a data folder must hold is missing.
    case missingFile(folder: String, name: String)
    /// A path a data spec names is missing, or is not a regular file (a device or a pipe is never read).
    case notRegularFile(file: String)
    /// A named data set's package is not installed.
    case missingPackage(dataset: String, folder: String, package: String)
    /// A data source spec cannot be understood.
    case badSpec(spec: String, reason: String)
    /// The validation split asks for more images than the training set holds.
    case validationTooLarge(requested: Int, available: Int)
    /// Train and test images have different shapes.
    case shapeMismatch(train: [Int], test: [Int])
    /// The file, or what it decompresses to, is larger than the reader accepts.
    case tooLarge(file: String, what: String, limit: Int)

    /// A one-line message naming the file and what was expected.
    public var description: String {
        switch self {
        case let .unreadable(file, reason):
            return "\(file): cannot read the file (\(reason))"
        case let .emptyFile(file):
            return "\(file): the file is empty"
        case let .badMagic(file, expected, found):
            return "\(file): bad magic number \(hex(found)), expected \(hex(expected))"
        case let .truncated(file, expected, actual):
            return "\(file): truncated: expected \(expected) bytes, found \(actual)"
        case let .trailingBytes(file, expected, actual):
            return "\(file): expected exactly \(expected) bytes from the header, found \(actual)"
        case let .badDimension(file, reason):
            return "\(file): bad dimensions: \(reason)"
        case let .countMismatch(images, imageCount, labels, labelCount):
            return "\(images) holds \(imageCount) images but \(labels) holds \(labelCount) labels"
        case let .labelOutOfRange(file, item, label, classes):
            return "\(file): label \(label) of item \(item) is out of range (expected 0..<\(classes))"
        case let .corruptGzip(file, reason):
            return "\(file): corrupt gzip stream: \(reason)"
        case let .badCSV(file, line, reason):
            return "\(file):\(line): \(reason)"
        case let .badRecordLength(file, length, recordSize):
            return "\(file): length \(length) is not a multiple of the \(recordSize)-byte record size"
        case let .missingFile(folder, name):
            return "\(folder): missing \(name) (also looked for \(name).gz)"
        case let .notRegularFile(file):
            return "\(file) is not a regular file on this machine"
        case let .missingPackage(dataset, folder, package):
            return "\(dataset): \(folder) not found; install the package `\(package)` (e.g. apt-get install \(package))"
        case let .badSpec(spec, reason):
            return "data source '\(spec)': \(reason)"
        case let .validationTooLarge(requested, available):
            return "validation size \(requested) is larger than the \(available) training images"
        case let .shapeMismatch(train, test):
            return "training images are \(train) but test images are \(test)"
        case let .tooLarge(file, what, limit):
            return "\(file): \(what) is larger than the limit of \(limit) bytes"
        }
    }

    private func hex(_ v: UInt32) -> String {
        let digits = String(v, radix: 16)
        return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }
}
