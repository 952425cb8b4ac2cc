/// A CURVE key file or folder that cannot be used; the text names the path and what was expected.
public enum KeyFileError: Error, CustomStringConvertible, Equatable {
    /// The file cannot be read or written.
    case io(path: String, reason: String)
    /// The file holds no 40-character Z85 key.
    case malformed(path: String, reason: String)
    /// A secret key file others may read.
    case tooOpen(path: String, mode: UInt16)
    /// The authorized keys folder holds no `*.pub` file.
    case noKeys(folder: String)
    /// `keygen` would overwrite a key.
    case exists(path: String)

    /// Human-readable text naming the file.
    public var description: String {
        switch self {
        case .io(let p, let r): return "\(p): \(r)"
        case .malformed(let p, let r):
            return "\(p): \(r); expected one 40-character Z85 CURVE key (as 'quorum keygen' writes)"
        case .tooOpen(let p, let m):
            return "\(p): secret key file has mode \(String(m, radix: 8)); others may read it. Run: chmod 600 \(p)"
        case .noKeys(let f): return "\(f): no worker public keys (*.pub files) in the authorized keys folder"
        case .exists(let p): return "\(p) already exists; remove it or choose another --out/--name"
        }
    }
}
