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

    /// How many frames a message of this command has, counting protocol id, command and header.
    public var frameCount: Int { self == .result ? 5 : 3 }
}
