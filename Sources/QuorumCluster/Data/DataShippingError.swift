/// Why a data set could not be offered, fetched or checked; the text names the data set and the file.
public enum DataShippingError: Error, CustomStringConvertible, Equatable {
    /// The spec names no folder of known data files (explicit `train=…,test=…` files are not shipped).
    case notShippable(dataset: String, reason: String)
    /// A file could not be read or written.
    case io(path: String, reason: String)
    /// The coordinator refused to ship the data set.
    case refused(dataset: String, reason: String)
    /// A chunk kept arriving damaged.
    case corruptChunk(dataset: String, file: String, chunk: Int, attempts: Int)
    /// A whole file did not match its manifest hash after download.
    case fileMismatch(dataset: String, file: String, expected: String, found: String)
    /// Nothing arrived from the coordinator in time.
    case timeout(dataset: String, seconds: Double)
    /// The transfer was cut off, e.g. because the coordinator went silent.
    case interrupted(dataset: String, reason: String)

    /// Human-readable text naming the data set, the file and the problem.
    public var description: String {
        switch self {
        case .notShippable(let d, let r): return "data set '\(d)' cannot be shipped: \(r)"
        case .io(let p, let r): return "\(p): \(r)"
        case .refused(let d, let r): return "the coordinator cannot ship data set '\(d)': \(r)"
        case .corruptChunk(let d, let f, let c, let a):
            return "data set '\(d)': chunk \(c) of \(f) failed its SHA-256 check \(a) times; giving up"
        case .fileMismatch(let d, let f, let e, let found):
            return "data set '\(d)': \(f) has SHA-256 \(found) after download; the manifest says \(e)"
        case .timeout(let d, let s): return "data set '\(d)': no answer from the coordinator for \(Int(s)) s"
        case .interrupted(let d, let r): return "data set '\(d)': transfer interrupted: \(r)"
        }
    }
}
