/// Why a single image file (PGM or PNG) could not be decoded. Every message names the file.
public enum ImageFileError: Error, CustomStringConvertible, Equatable {
    /// The file does not start with the signature of the format it was read as.
    case badSignature(file: String, format: String)
    /// The header is malformed: a missing or non-numeric field, a zero size, a bad chunk.
    case badHeader(file: String, reason: String)
    /// A valid file that uses a feature this reader does not decode (16-bit, interlaced, ...).
    case unsupported(file: String, feature: String)
    /// The file ends before all the pixels it announces.
    case truncated(file: String, reason: String)
    /// The pixel data is inconsistent: a bad checksum, a corrupt zlib stream, an unknown filter.
    case corrupt(file: String, reason: String)

    /// A one-line message naming the file and the problem.
    public var description: String {
        switch self {
        case let .badSignature(file, format): return "\(file): not a \(format) file (bad signature)"
        case let .badHeader(file, reason): return "\(file): bad header: \(reason)"
        case let .unsupported(file, feature): return "\(file): unsupported: \(feature)"
        case let .truncated(file, reason): return "\(file): truncated: \(reason)"
        case let .corrupt(file, reason): return "\(file): corrupt image data: \(reason)"
        }
    }
}
