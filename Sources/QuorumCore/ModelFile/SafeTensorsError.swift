/// Why a safetensors file could not be read.
public enum SafeTensorsError: Error, CustomStringConvertible, Equatable {
    case unreadable(path: String, reason: String)
    case tooShort(path: String, bytes: Int)
    case headerLength(path: String, declared: UInt64, fileBytes: Int)
    case badHeader(path: String, reason: String)
    case badTensor(path: String, name: String, reason: String)

    public var description: String {
        switch self {
        case let .unreadable(p, r): return "\(p): cannot read: \(r)"
        case let .tooShort(p, n): return "\(p): not a safetensors file: only \(n) bytes (a header length needs 8)"
        case let .headerLength(p, d, n): return "\(p): not a safetensors file: header length \(d) does not fit in a file of \(n) bytes"
        case let .badHeader(p, r): return "\(p): bad safetensors header: \(r)"
        case let .badTensor(p, name, r): return "\(p): tensor '\(name)': \(r)"
        }
    }
}
