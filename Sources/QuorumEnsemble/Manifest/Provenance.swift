import Foundation

/// Where an ensemble came from: when, by which command, in which run.
public struct Provenance: Codable, Sendable, Equatable {
    /// Creation time, ISO 8601 in UTC (text, so any JSON reader can use it as is).
    public var createdAt: String
    /// The command line that produced the ensemble.
    public var command: String
    /// The run's identifier.
    public var runID: String

    /// Provenance stamped with `date` in ISO 8601.
    public init(createdAt date: Date, command: String, runID: String) {
        self.init(createdAt: ISO8601DateFormatter().string(from: date), command: command, runID: runID)
    }

    /// Provenance with the creation time already formatted.
    public init(createdAt: String, command: String, runID: String) {
        self.createdAt = createdAt
        self.command = command
        self.runID = runID
    }

    enum CodingKeys: String, CodingKey {
        case command
        case createdAt = "created_at"
        case runID = "run_id"
    }
}
