import QuorumData
import QuorumEnsemble
import QuorumTraining

/// What one trained member left in the run directory, read back for voting and the summary: its record, and
/// its test probabilities. The record's fields read as the result's own (`result.testAccuracy`).
@dynamicMemberLookup
public struct MemberResult: Sendable {
    /// Everything the summary keeps once the probabilities are voted.
    public var record: MemberRecord
    /// N × C test-set probabilities, row-major.
    public var probabilities: [Float]

    /// A field of the record.
    public subscript<T>(dynamicMember field: KeyPath<MemberRecord, T>) -> T { record[keyPath: field] }

    /// The member's test probabilities, ready to vote.
    public func predictions() throws -> MemberPredictions {
        try MemberPredictions(name: record.jobId, probabilities: probabilities, classes: record.classes)
    }
}
