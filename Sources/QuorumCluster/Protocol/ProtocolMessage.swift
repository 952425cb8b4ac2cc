/// One decoded, validated Quorum message.
public enum ProtocolMessage: Equatable, Sendable {
    /// A worker announces itself.
    case ready(ReadyHeader)
    /// A job for a worker.
    case job(JobHeader)
    /// Liveness.
    case heartbeat(HeartbeatHeader)
    /// Training progress.
    case progress(ProgressHeader)
    /// A finished member.
    case result(ResultMessage)
    /// A failed job.
    case failed(FailedHeader)
    /// The sender leaves or ends the conversation.
    case disconnect(DisconnectHeader)
    /// A worker asks for data.
    case dataRequest(DataRequestHeader)
    /// A data set's manifest.
    case dataManifest(DataManifestHeader)
    /// One chunk of a data set file.
    case dataChunk(DataChunkMessage)
    /// A RESULT the coordinator refused.
    case rejected(RejectedHeader)

    /// The message's command.
    public var command: Command {
        switch self {
        case .ready: return .ready
        case .job: return .job
        case .heartbeat: return .heartbeat
        case .progress: return .progress
        case .result: return .result
        case .failed: return .failed
        case .disconnect: return .disconnect
        case .dataRequest: return .dataRequest
        case .dataManifest: return .dataManifest
        case .dataChunk: return .dataChunk
        case .rejected: return .rejected
        }
    }

    /// The job id the message concerns, for commands that carry one.
    public var jobId: String? {
        switch self {
        case .job(let h): return h.jobId
        case .progress(let h): return h.jobId
        case .result(let r): return r.header.jobId
        case .failed(let h): return h.jobId
        case .rejected(let h): return h.jobId
        case .ready, .heartbeat, .disconnect, .dataRequest, .dataManifest, .dataChunk: return nil
        }
    }
}
