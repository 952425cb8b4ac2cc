import Foundation

/// One line of a run's journal: what arrived, when. The journal is append-only JSON lines, so a crash can at
/// worst lose the line being written, never what came before.
public struct JournalEntry: Codable, Equatable, Sendable {
    /// What happened: `started` or `resumed` (serving begins), `completed` (a member stored), `rejected` (a
    /// RESULT failed a check), `workerRefused` (too many rejected results), `jobFailed` (a member given up for
    /// this run), `otherInstructionSet` (a member completed on another instruction set than its first holder's),
    /// `finished` (every job complete or given up), `failed` (serving ended in an error).
    public enum Event: String, Codable, Sendable {
        case started, resumed, workerJoined, workerLost, completed, failed, finished, rejected, workerRefused, jobFailed
        case otherInstructionSet
    }
    public var time: String
    public var event: Event
    public var jobId: String?
    public var worker: String?
    public var message: String?
    public var testAccuracy: Double?
    public var validationAccuracy: Double?
    public var trainSeconds: Double?

    public init(
        event: Event, jobId: String? = nil, worker: String? = nil, message: String? = nil,
        testAccuracy: Double? = nil, validationAccuracy: Double? = nil, trainSeconds: Double? = nil
    ) {
        time = ISO8601DateFormatter().string(from: Date())
        self.event = event
        self.jobId = jobId
        self.worker = worker
        self.message = message
        self.testAccuracy = testAccuracy
        self.validationAccuracy = validationAccuracy
        self.trainSeconds = trainSeconds
    }
}
