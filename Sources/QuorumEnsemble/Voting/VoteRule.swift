/// How an ensemble's members combine their answers into one.
public enum VoteRule: String, Codable, CaseIterable, Sendable {
    /// Each member votes for its top class; most votes wins (see `Voting.hard` for the tie rule).
    case hard
    /// The class with the highest mean probability over members wins.
    case soft
    /// The class with the highest weighted mean probability wins (weights such as validation accuracy).
    case weighted

    /// The rule an ensemble answers with unless told otherwise: soft. On every Fashion-MNIST run measured
    /// (see docs/accuracy.md) the soft vote beat the hard vote, by 0.08–0.23 points: mean probabilities keep
    /// each member's confidence, which a hard vote throws away, and they rarely tie.
    public static let answer: VoteRule = .soft
}
