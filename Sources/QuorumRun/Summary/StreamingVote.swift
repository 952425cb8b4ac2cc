import QuorumCore
import QuorumEnsemble

/// The votes, member accuracies, oracle and disagreement of an ensemble, accumulated one member at a time.
///
/// `Voting` holds every member's probabilities at once: 400 MB for 1,000 members on 10,000 test images.
/// Here a member is added and dropped, so memory stays O(samples × classes) whatever the member count. Sums
/// are added in member order exactly as `Voting` adds them, so every vote is the in-memory vote bit for bit.
/// Mean disagreement comes from the per-sample vote counts (pairs that agree on a sample are C(votes, 2) per
/// class): an exact integer count, equal to the pairwise matrix's mean up to the rounding of its float sum.
public final class StreamingVote {
    /// One label per sample, in `0..<classes`.
    public let labels: [Int32]
    /// The number of classes (row length).
    public let classes: Int
    /// The members expected, one weight each.
    public let memberCount: Int
    /// How many members were added so far.
    public private(set) var added = 0

    private let scale: [Float]
    private var sums: [Float]
    private var weightedSums: [Float]
    private var votes: [Int32]
    private var covered: [Bool]
    private var correct: [Int] = []

    /// An empty vote over `labels` for one member per weight (the weighted rule's weights, such as validation
    /// accuracies; they are checked as `Voting` checks them).
    public init(labels: [Int32], classes: Int, weights: [Float]) throws {
        guard !weights.isEmpty else { throw EnsembleError.noMembers }
        try Voting.validate(weights: weights, memberCount: weights.count)
        if let i = labels.firstIndex(where: { $0 < 0 || Int($0) >= classes }) {
            throw EnsembleError.labelOutOfRange(index: i, label: labels[i], classes: classes)
        }
        self.labels = labels
        self.classes = classes
        memberCount = weights.count
        let total = weights.reduce(0, +)
        scale = weights.map { $0 / total }
        let cells = labels.count * classes
        sums = [Float](repeating: 0, count: cells)
        weightedSums = [Float](repeating: 0, count: cells)
        votes = [Int32](repeating: 0, count: cells)
        covered = [Bool](repeating: false, count: labels.count)
    }

    /// Adds the next member (in the order of the weights); throws when its shape does not fit the labels.
    public func add(_ member: MemberPredictions) throws {
        guard added < memberCount else {
            throw EnsembleError.detailCountMismatch(field: "members", expected: memberCount, found: added + 1)
        }
        let n = labels.count, c = classes
        guard member.count == n, member.classes == c else {
            throw EnsembleError.shapeMismatch(
                member: member.name, expected: "\(n) samples × \(c) classes",
                found: "\(member.count) samples × \(member.classes) classes")
        }
        let weight = scale[added]
        var right = 0
        member.probabilities.withUnsafeBufferPointer { p in
            for i in 0..<n * c {
                sums[i] += p[i]
                weightedSums[i] += weight * p[i]
            }
            for s in 0..<n {
                let answer = argmax(p.baseAddress! + s * c, c).index
                votes[s * c + answer] += 1
                if answer == Int(labels[s]) {
                    right += 1
                    covered[s] = true
                }
            }
        }
        correct.append(right)
        added += 1
    }

    /// Each member's test accuracy, in the order they were added.
    public var memberAccuracies: [Double] {
        correct.map { labels.isEmpty ? 0 : Double($0) / Double(labels.count) }
    }

    /// The share of samples some member answers correctly.
    public var oracleAccuracy: Double {
        labels.isEmpty ? 0 : Double(covered.filter { $0 }.count) / Double(labels.count)
    }

    /// The mean over member pairs of the share of samples they answer differently (0 for one member).
    public var meanDisagreement: Double {
        let m = added, n = labels.count
        guard m > 1, n > 0 else { return 0 }
        let pairs = m * (m - 1) / 2
        var differing = 0
        for s in 0..<n {
            var agreeing = 0
            for c in 0..<classes {
                let v = Int(votes[s * classes + c])
                agreeing += v * (v - 1) / 2
            }
            differing += pairs - agreeing
        }
        return Double(differing) / (Double(n) * Double(pairs))
    }

    /// The vote of `rule` over the members added, with `Voting`'s tie rules; call once every member is in.
    public func result(_ rule: VoteRule) -> VoteResult {
        precondition(added == memberCount && added > 0, "\(added) of \(memberCount) members added")
        return Voting.decide(
            rule, sums: sums, votes: votes, weightedSums: weightedSums, members: added, classes: classes)
    }

    /// The comparison `EnsembleComparison.evaluate` makes, from the accumulated figures; `members` describes
    /// the added members in order.
    public func comparison(
        members: [ManifestMember], rules: [VoteRule] = VoteRule.allCases, answer: VoteRule = .answer
    ) throws -> EnsembleComparison {
        guard members.count == added else {
            throw EnsembleError.detailCountMismatch(field: "members", expected: added, found: members.count)
        }
        let rows = zip(members, memberAccuracies).map { member, accuracy in
            ComparisonMember(
                name: member.name, seed: member.seed, augmentation: member.augmentation,
                validationAccuracy: member.validationAccuracy, testAccuracy: accuracy)
        }
        let votes = rules.map { rule -> (rule: VoteRule, accuracy: Double, tiedCount: Int) in
            let result = result(rule)
            return (rule, result.accuracy(labels: labels), result.tiedCount)
        }
        return EnsembleComparison(
            members: rows, votes: votes, oracleAccuracy: oracleAccuracy, meanDisagreement: meanDisagreement,
            testCount: labels.count, answer: answer)
    }
}
