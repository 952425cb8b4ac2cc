import Foundation
import QuorumCore

/// Everything the final comparison shows: members, their spread, each vote's gain, oracle and diversity.
///
/// `table()` is the plain-text table printed at the end of a run; the JSON encoding (snake_case keys)
/// is the machine-readable form of the same figures. Accuracies are fractions in 0...1, gains are in
/// percentage points.
public struct EnsembleComparison: Codable, Sendable, Equatable {
    /// Number of test samples the figures are measured on.
    public var testCount: Int
    /// One row per member, in member order.
    public var members: [ComparisonMember]
    /// Mean member test accuracy.
    public var meanAccuracy: Double
    /// Sample standard deviation of member test accuracies.
    public var stdAccuracy: Double
    /// The most accurate member's name.
    public var bestMember: String
    /// The most accurate member's test accuracy.
    public var bestAccuracy: Double
    /// One row per vote rule evaluated.
    public var votes: [ComparisonVote]
    /// Share of samples some member answers correctly.
    public var oracleAccuracy: Double
    /// Mean over member pairs of the share of samples they answer differently.
    public var meanDisagreement: Double
    /// Samples where the hard vote was tied and the tie rule decided (0 when no hard vote was evaluated).
    public var tiedCount: Int
    /// The vote that is the ensemble's answer (the table marks it), when that rule was evaluated.
    public var answerRule: VoteRule?

    /// A comparison from measured figures; mean, spread, best member and gains are derived here.
    public init(
        members: [ComparisonMember], votes: [(rule: VoteRule, accuracy: Double, tiedCount: Int)],
        oracleAccuracy: Double, meanDisagreement: Double, testCount: Int, answer: VoteRule = .answer
    ) {
        let summary = AccuracySummary(members.map(\.testAccuracy))
        self.testCount = testCount
        self.members = members
        meanAccuracy = summary.mean
        stdAccuracy = summary.std
        bestMember = members[summary.bestIndex].name
        bestAccuracy = summary.best
        self.votes = votes.map {
            ComparisonVote(
                rule: $0.rule, accuracy: $0.accuracy, tiedCount: $0.tiedCount,
                meanAccuracy: summary.mean, bestAccuracy: summary.best)
        }
        self.oracleAccuracy = oracleAccuracy
        self.meanDisagreement = meanDisagreement
        tiedCount = votes.first { $0.rule == .hard }?.tiedCount ?? 0
        answerRule = votes.contains { $0.rule == answer } ? answer : nil
    }

    /// Measures members and votes on `labels`. `members` gives each member's name, seed, augmentation,
    /// validation accuracy and vote weight, in the same order as `predictions`.
    public static func evaluate(
        members: [ManifestMember], predictions: [MemberPredictions], labels: [Int32],
        rules: [VoteRule] = VoteRule.allCases,
        answer: VoteRule = .answer
    ) throws -> EnsembleComparison {
        try Voting.validate(predictions, labels: labels)
        guard members.count == predictions.count else {
            throw EnsembleError.detailCountMismatch(field: "members", expected: predictions.count, found: members.count)
        }
        if rules.contains(.weighted) { try Voting.validate(weights: members.map(\.weight), memberCount: members.count) }
        let accuracies = EnsembleMetrics.memberAccuracies(predictions, labels: labels)
        let rows = zip(members, accuracies).map { member, accuracy in
            ComparisonMember(
                name: member.name, seed: member.seed, augmentation: member.augmentation,
                validationAccuracy: member.validationAccuracy, testAccuracy: accuracy)
        }
        let votes = rules.map { rule -> (rule: VoteRule, accuracy: Double, tiedCount: Int) in
            let result = Voting.vote(predictions, rule: rule, weights: members.map(\.weight))
            return (rule, result.accuracy(labels: labels), result.tiedCount)
        }
        return EnsembleComparison(
            members: rows, votes: votes,
            oracleAccuracy: EnsembleMetrics.oracleAccuracy(predictions, labels: labels),
            meanDisagreement: EnsembleMetrics.meanDisagreement(EnsembleMetrics.disagreementMatrix(predictions)),
            testCount: labels.count, answer: answer)
    }

    /// The row of `rule`, if it was evaluated.
    public func vote(_ rule: VoteRule) -> ComparisonVote? { votes.first { $0.rule == rule } }

    /// The comparison as pretty-printed JSON with sorted snake_case keys.
    public func jsonData() throws -> Data {
        let encoder = JSONCoding.encoder(.pretty, keys: .declared)
        return try encoder.encode(self)
    }

    /// The aligned plain-text table: members, their spread, the votes with their gains, oracle and diversity.
    public func table() -> String {
        var lines = [
            "Ensemble of \(members.count) member\(members.count == 1 ? "" : "s") on \(testCount) test samples", ""
        ]

        var memberTable = TextTable([
            ("member", .left), ("seed", .right), ("augmentation", .left),
            ("validation", .right), ("test", .right)
        ])
        for m in members {
            memberTable.add([
                m.name, "\(m.seed)", m.augmentation,
                m.validationAccuracy.map(Format.percent) ?? "–", Format.percent(m.testAccuracy)
            ])
        }
        lines += memberTable.render()
        lines.append("")

        var voteTable = TextTable([
            ("vote", .left), ("accuracy", .right), ("vs mean", .right),
            ("vs best", .right), ("tied", .right)
        ])
        for v in votes {
            let name = v.rule == answerRule ? "\(v.rule.rawValue) (answer)" : v.rule.rawValue
            voteTable.add([
                name, Format.percent(v.accuracy), Format.points(v.gainOverMean),
                Format.points(v.gainOverBest), "\(v.tiedCount)"
            ])
        }
        lines += voteTable.render()
        lines.append("")

        let summary: [(String, String, String)] = [
            ("members", "\(Format.percent(meanAccuracy)) ± \(Format.fixed(stdAccuracy * 100, 2)) pt", "mean ± std"),
            ("best member", Format.percent(bestAccuracy), bestMember),
            ("oracle", Format.percent(oracleAccuracy), "some member is right"),
            ("disagreement", Format.percent(meanDisagreement), "mean over member pairs")
        ]
        let keyWidth = summary.map(\.0.count).max() ?? 0
        let valueWidth = summary.map(\.1.count).max() ?? 0
        for (key, value, note) in summary {
            let k = key + String(repeating: " ", count: keyWidth - key.count)
            let v = String(repeating: " ", count: valueWidth - value.count) + value
            lines.append("  \(k)  \(v)  \(note)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    enum CodingKeys: String, CodingKey {
        case members, votes
        case testCount = "test_count"
        case meanAccuracy = "mean_accuracy"
        case stdAccuracy = "std_accuracy"
        case bestMember = "best_member"
        case bestAccuracy = "best_accuracy"
        case oracleAccuracy = "oracle_accuracy"
        case meanDisagreement = "mean_disagreement"
        case tiedCount = "tied_count"
        case answerRule = "answer_rule"
    }
}
