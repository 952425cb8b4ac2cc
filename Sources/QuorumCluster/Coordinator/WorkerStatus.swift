/// One worker's line in the live table.
public struct WorkerStatus: Equatable, Sendable {
    /// The worker's routing id.
    public var id: WorkerID
    /// Its host name, from READY.
    public var host: String
    /// Its training threads, from READY.
    public var threads: Int
    /// Its instruction set, from READY (nil when it named none).
    public var isa: String? = nil
    /// The job it holds, if any.
    public var jobId: String?
    /// The attempt number of that job.
    public var attempt: Int?
    /// The last progress it reported for that job.
    public var lastProgress: ProgressHeader?
    /// When it was last heard from (state machine time).
    public var lastSeen: Double
    /// Its connection's CURVE key and address, as far as known.
    public var peer = PeerInfo()
}
