/// Trains one job on a worker's training thread: what `WorkerClient` hands each JOB to.
///
/// The transport never reads a job's payload: the config is JSON text it passes on as it came, and the output
/// (history, probabilities, model file) goes back as RESULT frames. What the payload means is the runner's
/// business, so this module knows nothing of training.
public protocol JobRunner {
    /// Trains `job`, reporting progress through `reporter` and stopping early once `cancel` is set.
    /// Throw `PermanentJobError` for a failure another attempt cannot fix; any other error is retryable.
    func run(_ job: JobAssignment, reporter: ProgressReporter, cancel: CancellationFlag) throws -> JobOutput
}
