import QuorumData

/// The sentences a report opens with, each computed from the figures below it: what the vote gains, how much
/// room the oracle leaves, whether more members would help, and whether members were still improving.
enum ReportConclusions {
    /// Validation accuracy gain in the last epoch, in points, above which a member counts as still improving.
    static let stillImprovingPoints = 0.1

    /// Every sentence the figures support, in reading order.
    static func sentences(
        comparison c: EnsembleComparison, sizeCurve: [EnsembleSizePoint], histories: [String: [EpochStats]]
    ) -> [String] {
        var out: [String] = []
        if let vote = answerVote(c) {
            let answer = c.answerRule == vote.rule ? ", the ensemble's answer," : ""
            let best = vote.gainOverBest >= 0 ? "over" : "against"
            out.append(
                "The \(vote.rule.rawValue) vote\(answer) scores \(Format.percent(vote.accuracy)) on \(c.testCount) "
                    + "test images: \(Format.points(vote.gainOverMean)) over the mean member "
                    + "(\(Format.percent(c.meanAccuracy))) and \(Format.points(vote.gainOverBest)) \(best) the best "
                    + "member, \(c.bestMember) (\(Format.percent(c.bestAccuracy))).")
            let room = (c.oracleAccuracy - vote.accuracy) * 100
            out.append(
                "Some member is right on \(Format.percent(c.oracleAccuracy)) of the test images (the oracle), so no "
                    + "vote over these members can gain more than \(Format.fixed(room, 2)) pt on this one.")
        }
        if let sentence = sizeSentence(sizeCurve, rule: answerVote(c)?.rule ?? .answer) { out.append(sentence) }
        if let sentence = improvingSentence(c.members.map(\.name), histories) { out.append(sentence) }
        return out
    }

    /// The vote the table calls the answer, else the most accurate one.
    static func answerVote(_ c: EnsembleComparison) -> ComparisonVote? {
        c.answerRule.flatMap(c.vote) ?? c.votes.max { $0.accuracy < $1.accuracy }
    }

    /// Accuracy of `rule`'s vote at one point of the size curve (the curve has hard and soft votes only).
    static func accuracy(_ point: EnsembleSizePoint, _ rule: VoteRule) -> Double {
        rule == .hard ? point.hardAccuracy : point.softAccuracy
    }

    /// What the first and the last member added, and whether that is diminishing returns.
    static func sizeSentence(_ curve: [EnsembleSizePoint], rule: VoteRule) -> String? {
        let curve = curve.sorted { $0.size < $1.size }
        guard curve.count >= 2, let first = curve.first, let last = curve.last else { return nil }
        let name = rule == .hard ? "hard" : "soft"
        let total = (accuracy(last, rule) - accuracy(first, rule)) * 100
        var s = "The \(name) vote of \(last.size) members scores \(Format.points(total)) over one member on average"
        guard curve.count >= 3 else { return s + "." }
        let firstGain = (accuracy(curve[1], rule) - accuracy(first, rule)) * 100
        let lastGain = (accuracy(last, rule) - accuracy(curve[curve.count - 2], rule)) * 100
        s += "; going from \(first.size) to \(curve[1].size) members adds \(Format.points(firstGain)), from "
        s += "\(curve[curve.count - 2].size) to \(last.size) \(Format.points(lastGain))"
        if firstGain > 0 && lastGain < firstGain / 2 {
            return s + ": returns diminish, and more members like these would add little."
        }
        return s + ": the curve is still rising, so more members may still help."
    }

    /// How many members' validation accuracy still rose in their last epoch.
    static func improvingSentence(_ members: [String], _ histories: [String: [EpochStats]]) -> String? {
        var rising: [Double] = [], judged = 0
        for name in members {
            guard let h = histories[name], h.count >= 2, let a = h[h.count - 2].validationAccuracy,
                let b = h[h.count - 1].validationAccuracy
            else { continue }
            judged += 1
            if (b - a) * 100 > stillImprovingPoints { rising.append((b - a) * 100) }
        }
        guard judged > 0 else { return nil }
        if rising.isEmpty {
            return "No member's validation accuracy rose by more than \(Format.fixed(stillImprovingPoints, 1)) pt "
                + "in its last epoch: longer training alone is unlikely to help."
        }
        let range =
            rising.count == 1
            ? Format.fixed(rising[0], 2) : "\(Format.fixed(rising.min()!, 2))–\(Format.fixed(rising.max()!, 2))"
        return
            "\(rising.count) of \(judged) members' validation accuracy still rose in the last epoch (by \(range) pt): "
            + "they were still improving, and more epochs may help."
    }
}
