import QuorumData
import QuorumEnsemble
import QuorumTraining

/// What the summary keeps of a stored member once its predictions are voted: everything but the
/// probabilities, so a thousand members cost kilobytes, not the 400 MB their predictions take.
public struct MemberRecord: Sendable {
    public var jobId: String
    public var classes: Int
    public var history: [EpochStats]
    public var testAccuracy: Double
    public var validationAccuracy: Double?
    public var trainSeconds: Double
    public var imagesPerSecond: Double
}

extension MemberResult {
    /// The member without its probabilities.
    public var record: MemberRecord {
        MemberRecord(
            jobId: jobId, classes: classes, history: history, testAccuracy: testAccuracy,
            validationAccuracy: validationAccuracy, trainSeconds: trainSeconds, imagesPerSecond: imagesPerSecond)
    }

    /// The member's test probabilities, ready to vote.
    public func predictions() throws -> MemberPredictions {
        try MemberPredictions(name: jobId, probabilities: probabilities, classes: classes)
    }
}
