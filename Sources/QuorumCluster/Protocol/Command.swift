/// The command frame of a Quorum message (frame 1), as ASCII on the wire.
public enum Command: String, CaseIterable, Sendable {
    /// Worker → coordinator: announces a worker and what it can do.
    case ready = "READY"
    /// Coordinator → worker: one ensemble member to train.
    case job = "JOB"
    /// Both ways: liveness while nothing else is said.
    case heartbeat = "HEARTBEAT"
    /// Worker → coordinator: training progress for display.
    case progress = "PROGRESS"
    /// Worker → coordinator: a finished member (probabilities and model file follow the header).
    case result = "RESULT"
    /// Worker → coordinator: a job could not be finished.
    case failed = "FAILED"
    /// Both ways: the sender is leaving (worker) or the run is over (coordinator).
    case disconnect = "DISCONNECT"
    /// Worker → coordinator: asks for a data set's manifest or one chunk of one of its files.
    case dataRequest = "DATA_REQUEST"
    /// Coordinator → worker: a data set's files, sizes and hashes (or why it cannot be shipped).
    case dataManifest = "DATA_MANIFEST"
    /// Coordinator → worker: one chunk of a data set file (the bytes follow the header).
    case dataChunk = "DATA_CHUNK"
    /// Coordinator → worker: a RESULT was refused (it failed a check); the job goes to another worker.
    case rejected = "REJECTED"

    /// The most earlier snapshots one RESULT may carry (each adds two frames; docs/protocol.md).
    public static let maxResultSnapshots = 63

    /// Whether a message of this command may have `count` frames: exactly `frameCount`, or for RESULT that
    /// plus two frames per earlier snapshot (the header's `snapshots` then says exactly how many).
    public func allowsFrameCount(_ count: Int) -> Bool {
        guard self == .result, count > frameCount else { return count == frameCount }
        return (count - frameCount) % 2 == 0 && (count - frameCount) / 2 <= Self.maxResultSnapshots
    }

    /// How many frames a message of this command has, counting protocol id, command and header (a RESULT
    /// without snapshots).
    public var frameCount: Int {
        switch self {
        case .result: return 5
        case .dataChunk: return 4
        default: return 3
        }
    }
}
