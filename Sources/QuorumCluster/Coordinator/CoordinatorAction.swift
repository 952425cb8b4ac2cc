import Logging

/// Something the coordinator's socket loop must do, as decided by `CoordinatorStateMachine`.
public enum CoordinatorAction: Equatable {
    /// Send a message to a worker.
    case send(WorkerID, ProtocolMessage)
    /// A worker reported progress (for the live display).
    case progress(WorkerID, ProgressHeader)
    /// A job finished; its result is accepted and final.
    case completed(jobId: String, result: ResultMessage)
    /// Every job is complete.
    case runComplete
    /// The run cannot finish; the text names the job, the worker and the worker's error.
    case runFailed(String)
    /// Answer a registered worker's DATA_REQUEST (the socket loop holds the data sets).
    case serveData(WorkerID, DataRequestHeader)
    /// A line for the operator's log.
    case log(Logger.Level, String)
}
