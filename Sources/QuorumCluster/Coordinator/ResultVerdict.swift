/// What the coordinator's checks make of a RESULT.
public enum ResultVerdict: Equatable, Sendable {
    /// The member is sound: the job is complete.
    case accepted
    /// A check failed; the text names it. The job goes back to the queue and the sender hears REJECTED.
    case rejected(String)
}
