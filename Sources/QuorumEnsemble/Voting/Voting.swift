import QuorumCore

/// The three ways an ensemble's members combine their probabilities into one answer per sample.
///
/// All members must cover the same samples with the same classes (`validate` checks this and throws a
/// typed error; the voting functions treat a mismatch as a programming error).
public enum Voting {
    /// Throws unless there is at least one member, all members agree on sample and class counts,
    /// and (when given) there is one in-range label per sample.
    public static func validate(_ members: [MemberPredictions], labels: [Int32]? = nil) throws {
        guard let first = members.first else { throw EnsembleError.noMembers }
        for m in members.dropFirst() where m.count != first.count || m.classes != first.classes {
            throw EnsembleError.shapeMismatch(
                member: m.name,
                expected: "\(first.count) samples × \(first.classes) classes",
                found: "\(m.count) samples × \(m.classes) classes")
        }
        if let labels {
            guard labels.count == first.count else {
                throw EnsembleError.labelCountMismatch(expected: first.count, found: labels.count)
            }
            if let i = labels.firstIndex(where: { $0 < 0 || Int($0) >= first.classes }) {
                throw EnsembleError.labelOutOfRange(index: i, label: labels[i], classes: first.classes)
            }
        }
    }

    /// Throws unless there is one finite, non-negative weight per member and their sum is positive.
    public static func validate(weights: [Float], memberCount: Int) throws {
        guard weights.count == memberCount else {
            throw EnsembleError.weightCountMismatch(expected: memberCount, found: weights.count)
        }
        guard weights.allSatisfy({ $0.isFinite && $0 >= 0 }), weights.reduce(0, +) > 0 else {
            throw EnsembleError.invalidWeights(weights)
        }
    }

    /// Majority vote of the members' top classes.
    ///
    /// Tie rule: the class with the most votes wins; among classes tied on votes, the one with the highest
    /// mean probability over all members wins; if that is tied too, the lowest class index wins.
    /// `tiedCount` counts the samples where more than one class had the most votes.
    public static func hard(_ members: [MemberPredictions]) -> VoteResult {
        combine(members, weights: nil, rule: .hard)
    }

    /// The class with the highest mean probability wins (lowest index on exact ties, which `tiedCount` counts).
    public static func soft(_ members: [MemberPredictions]) -> VoteResult {
        combine(members, weights: nil, rule: .soft)
    }

    /// The class with the highest weighted mean probability wins; `weights` (e.g. validation accuracies)
    /// are normalised to sum to one. Lowest index on exact ties, which `tiedCount` counts.
    public static func weighted(_ members: [MemberPredictions], weights: [Float]) -> VoteResult {
        precondition(
            (try? validate(weights: weights, memberCount: members.count)) != nil,
            "weights \(weights) do not fit \(members.count) members")
        return combine(members, weights: weights, rule: .weighted)
    }

    private static func combine(_ members: [MemberPredictions], weights: [Float]?, rule: VoteRule) -> VoteResult {
        precondition((try? validate(members)) != nil, "members do not share sample and class counts")
        let n = members[0].count, c = members[0].classes, m = members.count
        let total = weights?.reduce(0, +) ?? Float(m)
        let scale = (weights ?? [Float](repeating: 1, count: m)).map { $0 / total }

        // Unscaled sums decide the hard vote's tie-break and the soft winner (see VoteKernel);
        // the weighted rule decides on the weighted sums.
        var sums = [Float](repeating: 0, count: n * c)
        var weightedSums = [Float](repeating: 0, count: rule == .weighted ? n * c : 0)
        var votes = [Int32](repeating: 0, count: n * c)
        for (k, member) in members.enumerated() {
            member.probabilities.withUnsafeBufferPointer { p in
                for i in 0..<n * c { sums[i] += p[i] }
                if rule == .weighted { for i in 0..<n * c { weightedSums[i] += scale[k] * p[i] } }
                for s in 0..<n { votes[s * c + argmax(p.baseAddress! + s * c, c).index] += 1 }
            }
        }

        return decide(rule, sums: sums, votes: votes, weightedSums: weightedSums, members: m, classes: c)
    }

    /// The vote of `rule` from accumulated figures of `members` members: `sums` (unscaled probability sums,
    /// `[n × classes]`), `votes` (each member's top class counted) and, for `.weighted`, `weightedSums`
    /// (probabilities scaled by weights that sum to one). Applies the tie rules above; `StreamingVote`
    /// accumulates the same figures one member at a time and decides here too.
    public static func decide(
        _ rule: VoteRule, sums: [Float], votes: [Int32], weightedSums: [Float], members m: Int, classes c: Int
    ) -> VoteResult {
        let n = sums.count / c
        var predictions = [Int32](repeating: 0, count: n)
        var agreement = [Float](repeating: 0, count: n)
        var tied = 0
        sums.withUnsafeBufferPointer { sp in
            votes.withUnsafeBufferPointer { vp in
                weightedSums.withUnsafeBufferPointer { wp in
                    for s in 0..<n {
                        let winner: (index: Int, tied: Bool)
                        switch rule {
                        case .hard:
                            winner = VoteKernel.hardWinner(
                                votes: vp.baseAddress! + s * c,
                                sums: sp.baseAddress! + s * c, c)
                        case .soft: winner = argmax(sp.baseAddress! + s * c, c)
                        case .weighted: winner = argmax(wp.baseAddress! + s * c, c)
                        }
                        predictions[s] = Int32(winner.index)
                        agreement[s] = Float(vp[s * c + winner.index]) / Float(m)
                        if winner.tied { tied += 1 }
                    }
                }
            }
        }
        let probabilities = rule == .weighted ? weightedSums : sums.map { $0 / Float(m) }
        return VoteResult(
            rule: rule, predictions: predictions, votes: votes, agreement: agreement,
            probabilities: probabilities, tiedCount: tied, classes: c)
    }

    /// The result of `rule` (weights are required for `.weighted` and ignored otherwise).
    public static func vote(_ members: [MemberPredictions], rule: VoteRule, weights: [Float]? = nil) -> VoteResult {
        switch rule {
        case .hard: return hard(members)
        case .soft: return soft(members)
        case .weighted: return weighted(members, weights: weights ?? [Float](repeating: 1, count: members.count))
        }
    }
}
