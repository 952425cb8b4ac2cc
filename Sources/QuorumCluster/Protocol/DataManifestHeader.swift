/// DATA_MANIFEST header: the coordinator describes a data set it can ship, or says why it cannot.
public struct DataManifestHeader: ProtocolHeader {
    /// DATA_MANIFEST.
    public static let command = Command.dataManifest
    /// The data set, as the request named it.
    public var dataset: String
    /// The data set's hash: SHA-256 of its `SHA256SUMS` text (one `HASH  NAME` line per file, sorted by name);
    /// empty when `error` is set.
    public var sha256: String
    /// The chunk size every file is split into (the last chunk of a file may be shorter).
    public var chunkBytes: Int
    /// The files, sorted by name.
    public var files: [DataFileEntry]
    /// Set when the coordinator cannot ship this data set; the worker must then hold it itself.
    public var error: String?
    /// Where the worker may fetch the files instead of asking for chunks: an `http://` or `https://` URL or a
    /// path (`file://` or absolute) on a shared file system, each file at `url/NAME` and checked against its
    /// `sha256` as chunks are. Nil: chunks only.
    public var url: String?

    /// A manifest from its fields.
    public init(
        dataset: String, sha256: String, chunkBytes: Int, files: [DataFileEntry], error: String? = nil,
        url: String? = nil
    ) {
        self.dataset = dataset
        self.sha256 = sha256
        self.chunkBytes = chunkBytes
        self.files = files
        self.error = error
        self.url = url
    }

    /// A refusal to ship `dataset`.
    public static func refusal(_ dataset: String, _ error: String) -> DataManifestHeader {
        DataManifestHeader(dataset: dataset, sha256: "", chunkBytes: 1, files: [], error: error)
    }

    enum CodingKeys: String, CodingKey {
        case dataset, sha256, files, error, url
        case chunkBytes = "chunk_bytes"
    }

    /// Checks hashes, names and sizes against the limits before anything is allocated for the files: a
    /// chunk size inside the limits, at most so many files of at most so many bytes, plain unique names.
    public func validate(_ check: FieldValidator) throws {
        try DataFileName.checkDataset(dataset, "dataset", check)
        if let error {
            try check.text(error, "error", maxBytes: check.limits.maxErrorBytes, allowEmpty: true)
            return
        }
        let limits = check.limits
        if let url {
            try DataFileName.checkDataset(url, "url", check)
            let schemes = ["http://", "https://", "file:///", "/"]
            guard schemes.contains(where: { url.hasPrefix($0) }) else {
                throw check.fail("url", "must start with http://, https://, file:/// or /")
            }
        }
        try Self.hash(sha256, "sha256", check)
        try check.integer(chunkBytes, "chunk_bytes", limits.minChunkBytes...limits.maxChunkBytes)
        if files.isEmpty || files.count > limits.maxDatasetFiles {
            throw check.fail("files", "must list 1...\(limits.maxDatasetFiles) files, got \(files.count)")
        }
        var seen = Set<String>()
        var total = 0
        for (i, f) in files.enumerated() {
            try DataFileName.check(f.name, "files[\(i)].name", check)
            try check.integer(f.bytes, "files[\(i)].bytes", 0...limits.maxDatasetFileBytes)
            try Self.hash(f.sha256, "files[\(i)].sha256", check)
            if !seen.insert(f.name).inserted {
                throw check.fail("files[\(i)].name", "repeats \"\(PeerText.escaped(f.name, limit: 80))\"")
            }
            let (sum, overflow) = total.addingReportingOverflow(f.bytes)
            total = overflow ? Int.max : sum
        }
        if total > limits.maxDatasetBytes {
            throw check.fail("files", "add up to \(total) bytes; the limit is \(limits.maxDatasetBytes)")
        }
    }

    static func hash(_ value: String, _ field: String, _ check: FieldValidator) throws {
        let isHex = value.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
        if value.utf8.count != 64 || !isHex {
            throw check.fail(
                field,
                "must be 64 lowercase hex digits (SHA-256), got \"\(PeerText.escaped(value, limit: 80))\"")
        }
    }
}
