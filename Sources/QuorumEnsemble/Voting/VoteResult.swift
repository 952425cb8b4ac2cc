/// The ensemble's answer for every sample, with the evidence behind it.
public struct VoteResult: Sendable {
    /// The rule that produced this result.
    public let rule: VoteRule
    /// The winning class per sample.
    public let predictions: [Int32]
    /// `count × classes` hard-vote counts: how many members had each class as their top answer.
    public let votes: [Int32]
    /// Share of members whose top answer is the winning class, per sample (0...1).
    public let agreement: [Float]
    /// `count × classes` mean probabilities (weighted mean for the weighted rule).
    public let probabilities: [Float]
    /// Samples where several classes shared the top score (votes for `hard`, probability otherwise)
    /// and the tie rule had to decide.
    public let tiedCount: Int
    /// The number of classes (row length of `votes` and `probabilities`).
    public let classes: Int

    /// A result from its parts (a vote accumulated elsewhere, one member at a time).
    public init(
        rule: VoteRule, predictions: [Int32], votes: [Int32], agreement: [Float], probabilities: [Float],
        tiedCount: Int, classes: Int
    ) {
        self.rule = rule
        self.predictions = predictions
        self.votes = votes
        self.agreement = agreement
        self.probabilities = probabilities
        self.tiedCount = tiedCount
        self.classes = classes
    }

    /// The number of samples.
    public var count: Int { predictions.count }

    /// The vote counts of one sample, one entry per class.
    public func votes(of sample: Int) -> ArraySlice<Int32> { votes[sample * classes..<(sample + 1) * classes] }

    /// The share of samples whose prediction equals the label (0...1).
    public func accuracy(labels: [Int32]) -> Double { EnsembleMetrics.accuracy(predictions, labels: labels) }
}
