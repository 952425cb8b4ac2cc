import QuorumData
import QuorumTraining

/// What one trained member left in the run directory, read back for voting and the summary.
public struct MemberResult: Sendable {
    public var jobId: String
    /// N × C test-set probabilities, row-major.
    public var probabilities: [Float]
    public var classes: Int
    public var history: [EpochStats]
    public var testAccuracy: Double
    public var validationAccuracy: Double?
    public var trainSeconds: Double
    public var imagesPerSecond: Double
}
