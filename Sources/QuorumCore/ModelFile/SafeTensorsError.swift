/// Why a safetensors file could not be read.
public enum SafeTensorsError: Error, CustomStringConvertible, Equatable {
    case unreadable(path: String, reason: String)
    case tooShort(path: String, bytes: Int)
    case headerLength(path: String, declared: UInt64, fileBytes: Int)
    case badHeader(path: String, reason: String)
    case badTensor(path: String, name: String, reason: String)

    public var description: String {
        switch self {
        case let .unreadable(p, _), let .tooShort(p, _), let .headerLength(p, _, _), let .badHeader(p, _),
            let .badTensor(p, _, _):
            return "\(p): \(reason)"
        }
    }

    /// What is wrong, without the file's name.
    public var reason: String {
        switch self {
        case let .unreadable(_, r): return "cannot read: \(r)"
        case let .tooShort(_, n): return "not a safetensors file: only \(n) bytes (a header length needs 8)"
        case let .headerLength(_, d, n):
            return "not a safetensors file: header length \(d) does not fit in a file of \(n) bytes"
                + " or exceeds \(SafeTensorsHeader.maxHeaderBytes) bytes"
        case let .badHeader(_, r): return "bad safetensors header: \(r)"
        case let .badTensor(_, name, r): return "tensor '\(name)': \(r)"
        }
    }
}
