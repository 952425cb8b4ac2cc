import Logging

/// Something the coordinator's socket loop must do, as decided by `CoordinatorStateMachine`.
public enum CoordinatorAction: Equatable {
    /// Send a message to a worker.
    case send(WorkerID, ProtocolMessage)
    /// A worker reported progress (for the live display).
    case progress(WorkerID, ProgressHeader)
    /// A job finished; its result passed the checks and is final.
    case completed(jobId: String, result: ResultMessage)
    /// A RESULT failed a check and the job went back to the queue (for the journal).
    case rejected(jobId: String, worker: WorkerID, host: String, reason: String)
    /// A worker is refused for the rest of the run (for the journal and the table).
    case refused(worker: WorkerID, host: String, reason: String)
    /// A job completed on a worker whose instruction set (nil: not named) differs from `firstISA`, its first
    /// holder's, because no worker with that one could take it: its bits differ from a run there (for the
    /// journal and the summary).
    case otherInstructionSet(jobId: String, worker: WorkerID, host: String, isa: String?, firstISA: String)
    /// A job will not be trained in this run; the run goes on without it (for the journal).
    case jobFailed(jobId: String, reason: String)
    /// Every job is complete.
    case runComplete
    /// Every job is complete or failed for good; the map names each failed job and why.
    case runIncomplete([String: String])
    /// Answer a registered worker's DATA_REQUEST (the socket loop holds the data sets).
    case serveData(WorkerID, DataRequestHeader)
    /// A line for the operator's log.
    case log(Logger.Level, String)
}
