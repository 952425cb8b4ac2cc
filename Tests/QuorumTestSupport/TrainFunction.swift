import QuorumCluster

/// A `JobRunner` made of a function, so a test states in place what its worker does with a job.
public final class TrainFunction: JobRunner {
    /// What the worker does with a job.
    public typealias Body = (JobAssignment, ProgressReporter, CancellationFlag) throws -> JobOutput
    private let body: Body

    /// A runner that calls `body` for every job.
    public init(_ body: @escaping Body) { self.body = body }

    /// Calls the body.
    public func run(_ job: JobAssignment, reporter: ProgressReporter, cancel: CancellationFlag) throws -> JobOutput {
        try body(job, reporter, cancel)
    }
}
