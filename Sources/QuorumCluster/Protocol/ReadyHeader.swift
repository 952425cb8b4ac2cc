/// READY header: a worker announces itself and what it can do.
public struct ReadyHeader: ProtocolHeader {
    /// READY.
    public static let command = Command.ready
    /// The worker's software version, e.g. `0.1.0`.
    public var version: String
    /// The worker's host name.
    public var host: String
    /// CPU cores on the worker's machine.
    public var cores: Int
    /// Threads this worker will use for training.
    public var threads: Int
    /// The instruction set the worker computes with (oneDNN's, e.g. `avx512_core`), which decides the exact bits
    /// of results; optional, since older and third-party workers do not send it.
    public var isa: String?
    /// Data sets the worker holds locally, as name → lowercase hex SHA-256 of the file.
    public var datasets: [String: String]
    /// The machine the worker runs on (its host name), shared by every worker process on it; optional. Lets a
    /// coordinator that shares idle cores group workers by machine (`host` names the worker itself).
    public var machine: String?

    /// A READY header from its fields.
    public init(
        version: String, host: String, cores: Int, threads: Int, isa: String? = nil,
        datasets: [String: String] = [:], machine: String? = nil
    ) {
        self.version = version
        self.host = host
        self.cores = cores
        self.threads = threads
        self.isa = isa
        self.datasets = datasets
        self.machine = machine
    }

    enum CodingKeys: String, CodingKey {
        case version, host, cores, threads, isa, datasets, machine
    }

    /// Checks lengths, counts and the hash format.
    public func validate(_ check: FieldValidator) throws {
        try check.text(version, "version")
        try check.text(host, "host")
        try check.integer(cores, "cores", 1...65_536)
        try check.integer(threads, "threads", 1...65_536)
        if let isa { try check.text(isa, "isa") }
        if let machine { try check.text(machine, "machine") }
        if datasets.count > 1024 { throw check.fail("datasets", "has \(datasets.count) entries; the limit is 1024") }
        for (name, hash) in datasets {
            try check.text(name, "datasets")
            let isHex = hash.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
            if hash.utf8.count != 64 || !isHex {
                throw check.fail(
                    "datasets.\(name)", "must be 64 lowercase hex digits (SHA-256), got \"\(hash.prefix(80))\"")
            }
        }
    }
}
