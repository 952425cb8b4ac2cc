extension EnsembleManifest {
    /// The rules this ensemble can be scored with: every rule, but `weighted` only when the members' weights
    /// are usable (one per member, finite, not negative, not all zero).
    public var usableVoteRules: [VoteRule] {
        let weightsUsable = (try? Voting.validate(weights: weights, memberCount: members.count)) != nil
        return VoteRule.allCases.filter { $0 != .weighted || weightsUsable }
    }
}
