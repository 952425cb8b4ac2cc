import Foundation

/// What an operator watches of a running coordinator, as of one moment: workers, jobs, running totals, traffic
/// and each running member's speed. `CoordinatorServer` publishes one to its `CoordinatorMonitor`.
public struct CoordinatorSnapshot: Sendable, Equatable {
    /// One running member's latest PROGRESS.
    public struct Member: Sendable, Equatable {
        public var jobId: String
        public var epoch: Int
        public var imagesPerSecond: Double
    }

    /// The state machine's running totals.
    public var counters = CoordinatorCounters()
    /// Workers registered now.
    public var workers = 0
    /// Jobs waiting, held by a worker, complete (stored, resumed ones included) and given up.
    public var queued = 0
    public var running = 0
    public var done = 0
    public var failed = 0
    /// Jobs in the plan.
    public var total = 0
    /// Results that failed a check, and messages that failed to decode.
    public var rejectedResults = 0
    public var invalidMessages = 0
    /// Messages received from and sent to workers by the socket loop.
    public var messagesReceived = 0
    public var messagesSent = 0
    /// Data set bytes sent in DATA_CHUNKs.
    public var dataBytesShipped = 0
    /// Connections refused during the CURVE handshake (unknown key, wrong server key, no keys).
    public var curveRefusals = 0
    /// Running members, by job id.
    public var members: [Member] = []

    /// An empty snapshot (nothing served yet).
    public init() {}
}

/// The latest `CoordinatorSnapshot`, shared between the coordinator's loop (which publishes) and any thread
/// that reads it (a metrics endpoint). Thread-safe.
public final class CoordinatorMonitor: @unchecked Sendable {
    private let lock = NSLock()
    private var latest = CoordinatorSnapshot()

    /// A monitor holding an empty snapshot.
    public init() {}

    /// The latest snapshot.
    public var snapshot: CoordinatorSnapshot {
        lock.lock()
        defer { lock.unlock() }
        return latest
    }

    /// Replaces the snapshot.
    func publish(_ snapshot: CoordinatorSnapshot) {
        lock.lock()
        latest = snapshot
        lock.unlock()
    }
}
