/// Thrown by a training closure for a failure that another attempt cannot fix (e.g. an invalid
/// configuration): the worker reports it as FAILED with `retryable: false`, which ends the run.
public struct PermanentJobError: Error, CustomStringConvertible, Sendable {
    /// What is wrong.
    public let message: String

    /// An error with its explanation.
    public init(_ message: String) { self.message = message }

    /// The explanation.
    public var description: String { message }
}
