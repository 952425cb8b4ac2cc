import Foundation

/// A job as the worker's `JobRunner` receives it.
public struct JobAssignment: Equatable, Sendable {
    /// The job's id.
    public var jobId: String
    /// The ensemble member (0-based).
    public var memberIndex: Int
    /// 1 for the first try, more when the job was handed out before.
    public var attempt: Int
    /// Threads to train with.
    public var threads: Int
    /// The job's configuration as UTF-8 JSON text of an object, exactly as planned; the runner reads it.
    public var config: Data

    /// An assignment from a JOB header.
    public init(_ header: JobHeader) {
        jobId = header.jobId
        memberIndex = header.memberIndex
        attempt = header.attempt
        threads = header.threads
        // A JSONValue always encodes; the fallback only keeps this initialiser total.
        config = (try? header.config.jsonData()) ?? Data("{}".utf8)
    }
}
