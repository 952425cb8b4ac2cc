/// Thrown by a `JobRunner` for a failure that another attempt cannot fix (e.g. an invalid
/// configuration): the worker reports it as FAILED with `retryable: false`, and the coordinator gives that job up.
public struct PermanentJobError: Error, CustomStringConvertible, Sendable {
    /// What is wrong.
    public let message: String

    /// An error with its explanation.
    public init(_ message: String) { self.message = message }

    /// The explanation.
    public var description: String { message }
}
