/// How an ensemble's members combine their answers into one.
public enum VoteRule: String, Codable, CaseIterable, Sendable {
    /// Each member votes for its top class; most votes wins (see `Voting.hard` for the tie rule).
    case hard
    /// The class with the highest mean probability over members wins.
    case soft
    /// The class with the highest weighted mean probability wins (weights such as validation accuracy).
    case weighted
}
