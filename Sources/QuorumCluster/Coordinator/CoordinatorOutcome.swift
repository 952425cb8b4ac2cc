/// How a coordinator's run ended.
public enum CoordinatorOutcome: Equatable, Sendable {
    /// Every job completed.
    case complete
    /// Every job completed or failed for good; the map names each failed job and why. The run finished with
    /// the members it has.
    case incomplete([String: String])
    /// `requestStop()` was called before the run ended.
    case stopped
}
