/// Everything `quorum evaluate --ensemble` reports about an ensemble on labelled data: the comparison of
/// members and votes, the pairwise disagreement matrix, per-class accuracy and confusion matrix of each
/// vote, and accuracy against ensemble size. Accuracies are fractions in 0...1.
public struct EnsembleEvaluation: Codable, Sendable {
    /// Members, their mean ± std, each vote with its gain over the mean and the best member, oracle.
    public let comparison: EnsembleComparison
    /// `[a][b]`: share of samples on which members a and b answer differently.
    public let disagreement: [[Double]]
    /// Per vote rule, accuracy within each true class (nil for a class without samples).
    public let perClassAccuracy: [String: [Double?]]
    /// Per vote rule, counts `[true class][predicted class]`.
    public let confusionMatrices: [String: [[Int]]]
    /// Mean vote accuracy of sub-ensembles of 1...M members.
    public let sizeCurve: [EnsembleSizePoint]
    /// One name per class.
    public let classNames: [String]

    /// Measures `predictions` (one per manifest member, in order) against `labels`; `answer` is the vote the
    /// comparison marks as the ensemble's answer (its `vote_rule`).
    public init(
        members: [ManifestMember], predictions: [MemberPredictions], labels: [Int32], classNames: [String],
        rules: [VoteRule] = VoteRule.allCases, answer: VoteRule = .answer
    ) throws {
        comparison = try EnsembleComparison.evaluate(
            members: members, predictions: predictions, labels: labels, rules: rules, answer: answer)
        disagreement = EnsembleMetrics.disagreementMatrix(predictions)
        var perClass: [String: [Double?]] = [:], confusion: [String: [[Int]]] = [:]
        let classes = predictions[0].classes
        for rule in rules {
            let result = Voting.vote(predictions, rule: rule, weights: members.map(\.weight))
            perClass[rule.rawValue] = EnsembleMetrics.perClassAccuracy(
                result.predictions, labels: labels, classes: classes)
            confusion[rule.rawValue] = EnsembleMetrics.confusionMatrix(
                result.predictions, labels: labels, classes: classes)
        }
        perClassAccuracy = perClass
        confusionMatrices = confusion
        sizeCurve = EnsembleMetrics.ensembleSizeCurve(predictions, labels: labels)
        self.classNames = classNames
    }

    enum CodingKeys: String, CodingKey {
        case comparison, disagreement
        case perClassAccuracy = "per_class_accuracy"
        case confusionMatrices = "confusion_matrices"
        case sizeCurve = "size_curve"
        case classNames = "class_names"
    }

    /// The plain-text report: the comparison table, then disagreement, per-class accuracy, confusion
    /// matrix of `rule`'s vote and the ensemble-size curve.
    public func text(confusionRule rule: VoteRule = .hard) -> String {
        var lines = [comparison.table()]
        let names = comparison.members.map(\.name)
        lines.append("Pairwise disagreement (share of samples answered differently)")
        var d = TextTable([("", .left)] + names.map { ($0, .right) })
        for (a, row) in disagreement.enumerated() { d.add([names[a]] + row.map { Format.percent($0) }) }
        lines += d.render()
        lines.append("")
        let rules = VoteRule.allCases.filter { perClassAccuracy[$0.rawValue] != nil }
        lines.append("Per-class accuracy")
        var p = TextTable([("class", .left)] + rules.map { ("\($0.rawValue) vote", .right) })
        for (c, name) in classNames.enumerated() {
            p.add([name] + rules.map { r in perClassAccuracy[r.rawValue]?[c].map { Format.percent($0) } ?? "–" })
        }
        lines += p.render()
        lines.append("")
        if let matrix = confusionMatrices[rule.rawValue] {
            lines.append("Confusion matrix of the \(rule.rawValue) vote (rows: true class, columns: predicted)")
            lines += EnsembleMetrics.confusionTable(matrix, classNames: classNames)
            lines.append("")
        }
        lines.append("Accuracy against ensemble size (mean over member subsets)")
        var s = TextTable([("members", .right), ("hard vote", .right), ("soft vote", .right), ("subsets", .right)])
        for point in sizeCurve {
            s.add([
                "\(point.size)", Format.percent(point.hardAccuracy), Format.percent(point.softAccuracy),
                "\(point.subsets)\(point.exact ? "" : " orders")"
            ])
        }
        lines += s.render()
        return lines.joined(separator: "\n") + "\n"
    }
}
