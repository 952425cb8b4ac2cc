/// Why a data set could not be offered, fetched or checked; the text names the data set and the file.
public enum DataShippingError: Error, CustomStringConvertible, Equatable {
    /// The spec names no folder of known data files (explicit `train=…,test=…` files are not shipped).
    case notShippable(dataset: String, reason: String)
    /// A file could not be read or written.
    case io(path: String, reason: String)
    /// The coordinator refused to ship the data set.
    case refused(dataset: String, reason: String)
    /// A chunk kept arriving damaged (`damaged` times; `unanswered` more requests got no answer at all).
    case corruptChunk(dataset: String, file: String, chunk: Int, damaged: Int, unanswered: Int)
    /// A chunk never arrived: asked for `requests` times, `seconds` apart.
    case missingChunk(dataset: String, file: String, chunk: Int, requests: Int, seconds: Double)
    /// The coordinator's manifest breaks the protocol or this worker's limits.
    case badManifest(dataset: String, reason: String)
    /// A whole file did not match its manifest hash after download.
    case fileMismatch(dataset: String, file: String, expected: String, found: String)
    /// Nothing arrived from the coordinator in time.
    case timeout(dataset: String, seconds: Double)
    /// The transfer was cut off, e.g. because the coordinator went silent.
    case interrupted(dataset: String, reason: String)

    /// Human-readable text naming the data set, the file and the problem; names come from the coordinator,
    /// so their control characters are escaped.
    public var description: String {
        let e = { (text: String) in PeerText.escaped(text, limit: 300) }
        switch self {
        case .notShippable(let d, let r): return "data set '\(e(d))' cannot be shipped: \(e(r))"
        case .io(let path, let r): return "\(e(path)): \(e(r))"
        case .refused(let d, let r): return "the coordinator cannot ship data set '\(e(d))': \(e(r))"
        case .corruptChunk(let d, let f, let c, let damaged, let unanswered):
            let silent = unanswered > 0 ? " (and \(unanswered) request(s) got no answer)" : ""
            return "data set '\(e(d))': chunk \(c) of \(e(f)) failed its SHA-256 check \(damaged) time(s)\(silent); "
                + "giving up"
        case .missingChunk(let d, let f, let c, let n, let s):
            return "data set '\(e(d))': chunk \(c) of \(e(f)) never arrived (asked \(n) times, \(Int(s)) s apart); "
                + "giving up"
        case .badManifest(let d, let r): return "data set '\(e(d))': the coordinator's manifest is refused: \(e(r))"
        case .fileMismatch(let d, let f, let expected, let found):
            return "data set '\(e(d))': \(e(f)) has SHA-256 \(found) after download; the manifest says \(expected)"
        case .timeout(let d, let s): return "data set '\(e(d))': no answer from the coordinator for \(Int(s)) s"
        case .interrupted(let d, let r): return "data set '\(e(d))': transfer interrupted: \(e(r))"
        }
    }
}
