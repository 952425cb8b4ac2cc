import Foundation
import QuorumData

/// Assembles one self-contained `report.html` for a run: every chart is inline SVG and the page needs
/// no network, scripts or other files.
///
/// Sections (each an element with the id in brackets): summary (`summary`), learning curves per member
/// with a fitting diagnosis (`learning-curves`), members against votes (`members-vs-vote`), the confusion
/// matrix (`confusion-matrix`), accuracy against ensemble size (`ensemble-size`) and, when given, the
/// model's graph (`model-graph`).
public struct ReportBuilder {
    /// The page title.
    public var title: String
    /// The figures of the summary and the members-vs-vote chart.
    public var comparison: EnsembleComparison
    /// Each member's training history, keyed by member name.
    public var histories: [String: [EpochStats]]
    /// One name per class, indexed by label.
    public var classNames: [String]
    /// The confusion matrix of `confusionRule`'s vote on the test set, `[true][predicted]`.
    public var confusionMatrix: [[Int]]?
    /// The vote the confusion matrix belongs to.
    public var confusionRule: VoteRule
    /// Vote accuracy against ensemble size.
    public var sizeCurve: [EnsembleSizePoint]
    /// The model's graph as an SVG document (e.g. from graphviz), shown when present.
    public var modelGraphSVG: String?
    /// Where the ensemble came from, shown under the title when present.
    public var provenance: Provenance?

    /// A report; sections whose data is missing say so instead of showing a chart.
    public init(
        title: String, comparison: EnsembleComparison, histories: [String: [EpochStats]] = [:],
        classNames: [String], confusionMatrix: [[Int]]? = nil, confusionRule: VoteRule = .hard,
        sizeCurve: [EnsembleSizePoint] = [], modelGraphSVG: String? = nil, provenance: Provenance? = nil
    ) {
        self.title = title
        self.comparison = comparison
        self.histories = histories
        self.classNames = classNames
        self.confusionMatrix = confusionMatrix
        self.confusionRule = confusionRule
        self.sizeCurve = sizeCurve
        self.modelGraphSVG = modelGraphSVG
        self.provenance = provenance
    }

    /// The HTML page.
    public func build() -> String {
        var html = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8"/>
            <title>\(e(title))</title>
            <style>
            body { font-family: Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 1340px; color: #222; padding: 0 1em; }
            h1 { margin-bottom: 0.2em; } h2 { border-bottom: 1px solid #ccc; padding-bottom: 0.2em; margin-top: 2em; }
            table { border-collapse: collapse; margin: 0.8em 0; }
            th, td { padding: 0.25em 0.8em; border-bottom: 1px solid #e5e5e5; }
            th { text-align: left; background: #f4f4f4; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
            .meta, .note { color: #666; font-size: 0.9em; }
            .fit { display: inline-block; padding: 0.05em 0.5em; border-radius: 0.6em; font-size: 0.85em; }
            .fit-good-fit { background: #d9f2e3; } .fit-overfitting { background: #fbd9c9; }
            .fit-underfitting { background: #fdf0c2; } .fit-too-short-to-judge { background: #e8e8e8; }
            .charts { display: flex; flex-wrap: wrap; gap: 1em; } .charts svg { max-width: 100%; height: auto; }
            .graph svg { max-width: 100%; height: auto; }
            </style>
            </head>
            <body>
            <h1>\(e(title))</h1>

            """
        if let p = provenance {
            html +=
                "<p class=\"meta\">Created \(e(p.createdAt)) · run \(e(p.runID)) · <code>\(e(p.command))</code></p>\n"
        }
        html += summarySection() + learningCurvesSection() + membersVersusVoteSection()
        html += confusionSection() + ensembleSizeSection() + modelGraphSection()
        return html + "</body>\n</html>\n"
    }

    /// Writes the page to `url`.
    public func write(to url: URL) throws { try Data(build().utf8).write(to: url, options: .atomic) }

    // MARK: - Sections

    private func diagnosis(of member: String) -> FittingDiagnosis? {
        histories[member].map(FittingDiagnosis.diagnose)
    }

    private func badge(_ d: FittingDiagnosis) -> String {
        let cls = d.verdict.rawValue.replacingOccurrences(of: " ", with: "-")
        let why = d.reasons.joined(separator: "; ")
        return "<span class=\"fit fit-\(cls)\" title=\"\(e(why))\">\(e(d.verdict.rawValue))</span>"
    }

    private func summarySection() -> String {
        let c = comparison
        var s = "<section id=\"summary\">\n<h2>Summary</h2>\n"
        s += "<p>\(c.members.count) members evaluated on \(c.testCount) test samples.</p>\n"
        s +=
            "<table class=\"members\">\n<tr><th>member</th><th>seed</th><th>augmentation</th><th>validation</th><th>test</th><th>fit</th></tr>\n"
        for m in c.members {
            let fit = diagnosis(of: m.name).map(badge) ?? "–"
            s += "<tr><td>\(e(m.name))</td><td class=\"num\">\(m.seed)</td><td>\(e(m.augmentation))</td>"
            s += "<td class=\"num\">\(m.validationAccuracy.map(Format.percent) ?? "–")</td>"
            s += "<td class=\"num\">\(Format.percent(m.testAccuracy))</td><td>\(fit)</td></tr>\n"
        }
        s += "</table>\n"
        s +=
            "<table class=\"votes\">\n<tr><th>vote</th><th>accuracy</th><th>vs mean</th><th>vs best</th><th>tied</th></tr>\n"
        for v in c.votes {
            s += "<tr><td>\(v.rule.rawValue)</td><td class=\"num\">\(Format.percent(v.accuracy))</td>"
            s +=
                "<td class=\"num\">\(Format.points(v.gainOverMean))</td><td class=\"num\">\(Format.points(v.gainOverBest))</td>"
            s += "<td class=\"num\">\(v.tiedCount)</td></tr>\n"
        }
        s += "</table>\n<table class=\"figures\">\n"
        s +=
            "<tr><th>members</th><td class=\"num\">\(Format.percent(c.meanAccuracy)) ± \(Format.fixed(c.stdAccuracy * 100, 2)) pt</td><td>mean ± std</td></tr>\n"
        s +=
            "<tr><th>best member</th><td class=\"num\">\(Format.percent(c.bestAccuracy))</td><td>\(e(c.bestMember))</td></tr>\n"
        s +=
            "<tr><th>oracle</th><td class=\"num\">\(Format.percent(c.oracleAccuracy))</td><td>some member is right</td></tr>\n"
        s +=
            "<tr><th>disagreement</th><td class=\"num\">\(Format.percent(c.meanDisagreement))</td><td>mean over member pairs</td></tr>\n"
        s += "</table>\n"
        s +=
            "<p class=\"note\">Hard vote: most votes wins; among tied classes the highest mean probability wins, then the lowest class index.</p>\n"
        return s + "</section>\n"
    }

    private func learningCurvesSection() -> String {
        var s = "<section id=\"learning-curves\">\n<h2>Learning curves</h2>\n"
        s += "<p class=\"note\">Fitting rule. \(e(FittingDiagnosis.ruleText))</p>\n"
        let recorded = comparison.members.filter { histories[$0.name]?.isEmpty == false }
        if recorded.isEmpty { s += "<p>No training histories were recorded.</p>\n" }
        for m in recorded {
            let history = histories[m.name] ?? []
            let d = FittingDiagnosis.diagnose(history)
            s += "<div class=\"member\">\n<h3>\(e(m.name)) \(badge(d))</h3>\n"
            if !d.reasons.isEmpty { s += "<p class=\"note\">\(e(d.reasons.joined(separator: "; ")))</p>\n" }
            let loss = SVGChart.lineChart(
                title: "\(m.name): loss", xLabel: "epoch", yLabel: "cross-entropy loss",
                series: [
                    ("train", history.map { (Double($0.epoch), $0.trainLoss) }),
                    ("validation", history.map { (Double($0.epoch), $0.validationLoss ?? .nan) })
                ])
            let accuracy = SVGChart.lineChart(
                title: "\(m.name): accuracy", xLabel: "epoch", yLabel: "accuracy (%)",
                series: [
                    ("train", history.map { (Double($0.epoch), $0.trainAccuracy * 100) }),
                    ("validation", history.map { (Double($0.epoch), ($0.validationAccuracy ?? .nan) * 100) })
                ])
            s += "<div class=\"charts\">\n\(loss)\(accuracy)</div>\n</div>\n"
        }
        return s + "</section>\n"
    }

    private func membersVersusVoteSection() -> String {
        var bars = comparison.members.map { (label: $0.name, value: $0.testAccuracy * 100, highlight: false) }
        bars += comparison.votes.map { (label: "\($0.rule.rawValue) vote", value: $0.accuracy * 100, highlight: true) }
        var s = "<section id=\"members-vs-vote\">\n<h2>Members and votes</h2>\n"
        s += SVGChart.barChart(title: "Test accuracy: members and votes", yLabel: "test accuracy (%)", bars: bars)
        s +=
            "<p class=\"note\">Oracle (some member right): \(Format.percent(comparison.oracleAccuracy)), the ceiling of any vote.</p>\n"
        return s + "</section>\n"
    }

    private func confusionSection() -> String {
        var s = "<section id=\"confusion-matrix\">\n<h2>Confusion matrix</h2>\n"
        if let matrix = confusionMatrix {
            let names = (0..<matrix.count).map { $0 < classNames.count ? classNames[$0] : "\($0)" }
            s += SVGChart.heatMap(
                title: "Confusion matrix of the \(confusionRule.rawValue) vote",
                rowLabels: names, columnLabels: names, values: matrix)
            s += "<p class=\"note\">Rows: true class; columns: predicted class. Colour grows with √count.</p>\n"
        } else {
            s += "<p>No confusion matrix was computed.</p>\n"
        }
        return s + "</section>\n"
    }

    private func ensembleSizeSection() -> String {
        var s = "<section id=\"ensemble-size\">\n<h2>Accuracy against ensemble size</h2>\n"
        if sizeCurve.isEmpty {
            s += "<p>No ensemble-size curve was computed.</p>\n"
        } else {
            s += SVGChart.lineChart(
                title: "Vote accuracy against ensemble size", xLabel: "members in the vote",
                yLabel: "test accuracy (%)",
                series: [
                    ("hard vote", sizeCurve.map { (Double($0.size), $0.hardAccuracy * 100) }),
                    ("soft vote", sizeCurve.map { (Double($0.size), $0.softAccuracy * 100) })
                ])
            let exact = sizeCurve.filter(\.exact).map { "\($0.size)" }.joined(separator: ", ")
            s += "<p class=\"note\">Each point is the mean over member subsets of that size: every subset for sizes "
            s += "\(exact.isEmpty ? "none" : e(exact)); random member orders otherwise.</p>\n"
        }
        return s + "</section>\n"
    }

    private func modelGraphSection() -> String {
        guard let graph = modelGraphSVG else { return "" }
        var s = "<section id=\"model-graph\">\n<h2>Model graph</h2>\n"
        // Inline SVG in HTML must not carry an XML declaration or DOCTYPE, which graphviz writes.
        if let start = graph.range(of: "<svg") {
            s += "<div class=\"graph\">\n\(graph[start.lowerBound...])</div>\n"
        } else {
            s += "<p>The model graph given is not an SVG document.</p>\n"
        }
        return s + "</section>\n"
    }

    private func e(_ text: String) -> String { XMLText.escape(text) }
}
