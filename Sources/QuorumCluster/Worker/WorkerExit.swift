/// Why `WorkerClient.run()` returned.
public enum WorkerExit: Equatable, Sendable {
    /// The coordinator sent DISCONNECT (the run is over), with its reason.
    case disconnected(reason: String?)
    /// `requestStop()` was called; the current job was reported FAILED (retryable).
    case stopped
}
