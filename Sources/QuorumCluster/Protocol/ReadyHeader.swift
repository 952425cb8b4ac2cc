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
    /// The BLAS kernel the worker runs (e.g. `Haswell`), which decides the exact bits of results.
    public var blasKernel: String
    /// Data sets the worker holds locally, as name → lowercase hex SHA-256 of the file.
    public var datasets: [String: String]
    /// The machine the worker runs on (its host name), shared by every worker process on it; optional. Lets a
    /// coordinator that shares idle cores group workers by machine (`host` names the worker itself).
    public var machine: String?

    /// A READY header from its fields.
    public init(version: String, host: String, cores: Int, threads: Int, blasKernel: String,
                datasets: [String: String] = [:], machine: String? = nil) {
        self.version = version
        self.host = host
        self.cores = cores
        self.threads = threads
        self.blasKernel = blasKernel
        self.datasets = datasets
        self.machine = machine
    }

    enum CodingKeys: String, CodingKey {
        case version, host, cores, threads, datasets, machine
        case blasKernel = "blas_kernel"
    }

    /// Checks lengths, counts and the hash format.
    public func validate(_ check: FieldValidator) throws {
        try check.text(version, "version")
        try check.text(host, "host")
        try check.integer(cores, "cores", 1...65_536)
        try check.integer(threads, "threads", 1...65_536)
        try check.text(blasKernel, "blas_kernel", allowEmpty: true)
        if let machine { try check.text(machine, "machine") }
        if datasets.count > 1024 { throw check.fail("datasets", "has \(datasets.count) entries; the limit is 1024") }
        for (name, hash) in datasets {
            try check.text(name, "datasets")
            let isHex = hash.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
            if hash.utf8.count != 64 || !isHex {
                throw check.fail("datasets.\(name)", "must be 64 lowercase hex digits (SHA-256), got \"\(hash.prefix(80))\"")
            }
        }
    }
}
