import QuorumData
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
