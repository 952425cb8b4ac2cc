import Foundation
import QuorumData
import QuorumEnsemble
import QuorumTraining

/// A received member that passed every check, with what storing it needs.
public struct VerifiedMember {
    /// The test-set probabilities, as rows.
    public var predictions: MemberPredictions
    /// Accuracy of their arg-max on the coordinator's test labels.
    public var testAccuracy: Double
    /// The per-epoch history the worker sent (empty when it cannot be read: it is informative only).
    public var history: [EpochStats]
    /// A snapshot job's earlier snapshots, each checked as a member of its own (cycles 1..<K).
    public var snapshots: [VerifiedMember] = []
}
