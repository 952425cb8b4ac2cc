/// DATA_REQUEST header: a worker asks for a data set's manifest (no `file`) or for one chunk of one file.
public struct DataRequestHeader: ProtocolHeader {
    /// DATA_REQUEST.
    public static let command = Command.dataRequest
    /// The data set, exactly as the job's configuration names it (e.g. `fashion-mnist`).
    public var dataset: String
    /// The file (a name from the manifest) whose chunk is wanted; absent: the manifest is wanted.
    public var file: String?
    /// The chunk's index within the file (offset = chunk × chunk_bytes); present exactly when `file` is.
    public var chunk: Int?

    /// A request for the manifest (`file` nil) or for one chunk.
    public init(dataset: String, file: String? = nil, chunk: Int? = nil) {
        self.dataset = dataset
        self.file = file
        self.chunk = chunk
    }

    /// Checks the names and that `file` and `chunk` come together.
    public func validate(_ check: FieldValidator) throws {
        try DataFileName.checkDataset(dataset, "dataset", check)
        switch (file, chunk) {
        case (nil, nil): break
        case (let f?, let c?):
            try DataFileName.check(f, "file", check)
            try check.integer(c, "chunk", 0...Int(Int32.max))
        default:
            throw check.fail(
                file == nil ? "file" : "chunk", "must be given together with \(file == nil ? "chunk" : "file")")
        }
    }
}
