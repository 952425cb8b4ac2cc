/// How a coordinator's run ended.
public enum CoordinatorOutcome: Equatable, Sendable {
    /// Every job completed.
    case complete
    /// A job could not be completed; the text names the job, the worker and the error.
    case failed(String)
    /// `requestStop()` was called before the run ended.
    case stopped
}
