/// One vote rule's row of the final comparison.
public struct ComparisonVote: Codable, Sendable, Equatable {
    /// The rule.
    public var rule: VoteRule
    /// Test accuracy of the vote (0...1).
    public var accuracy: Double
    /// Accuracy minus the mean member accuracy, in percentage points.
    public var gainOverMean: Double
    /// Accuracy minus the best member's accuracy, in percentage points.
    public var gainOverBest: Double
    /// Samples where the rule's tie-break decided.
    public var tiedCount: Int

    /// A vote row with its gains over the member mean and best member (accuracies as fractions).
    public init(rule: VoteRule, accuracy: Double, tiedCount: Int, meanAccuracy: Double, bestAccuracy: Double) {
        self.rule = rule
        self.accuracy = accuracy
        self.tiedCount = tiedCount
        gainOverMean = EnsembleMetrics.gain(accuracy, over: meanAccuracy)
        gainOverBest = EnsembleMetrics.gain(accuracy, over: bestAccuracy)
    }

    enum CodingKeys: String, CodingKey {
        case rule, accuracy
        case gainOverMean = "gain_over_mean_pt"
        case gainOverBest = "gain_over_best_pt"
        case tiedCount = "tied_count"
    }
}
