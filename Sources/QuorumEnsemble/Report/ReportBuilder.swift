import Foundation
import QuorumData

/// Assembles one self-contained `report.html` for a run: every chart is inline SVG and the page needs
/// no network, scripts or other files.
///
/// Sections (each an element with the id in brackets), inside one `<main>`: the overview with settings,
/// timing and conclusions (`overview`), members and votes in tables (`summary`), learning curves of all
/// members on shared axes with a fitting diagnosis (`learning-curves`), members against votes
/// (`members-vs-vote`), the confusion matrix of the answer vote (`confusion-matrix`), accuracy against
/// ensemble size (`ensemble-size`) and, when given, the model's graph (`model-graph`). Every chart has an
/// accessible name and its figures in a table folded under it; the page reflows down to phone width.
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
    /// The vote the confusion matrix belongs to: the one the comparison calls the answer.
    public var confusionRule: VoteRule
    /// Vote accuracy against ensemble size.
    public var sizeCurve: [EnsembleSizePoint]
    /// The model's graph as an SVG document (e.g. from graphviz), shown when present.
    public var modelGraphSVG: String?
    /// Where the ensemble came from, shown under the title when present.
    public var provenance: Provenance?
    /// The training settings and wall time the overview lists, when known.
    public var overview: ReportOverview?

    /// A report; sections whose data is missing say so instead of showing a chart.
    public init(
        title: String, comparison: EnsembleComparison, histories: [String: [EpochStats]] = [:],
        classNames: [String], confusionMatrix: [[Int]]? = nil, confusionRule: VoteRule? = nil,
        sizeCurve: [EnsembleSizePoint] = [], modelGraphSVG: String? = nil, provenance: Provenance? = nil,
        overview: ReportOverview? = nil
    ) {
        self.title = title
        self.comparison = comparison
        self.histories = histories
        self.classNames = classNames
        self.confusionMatrix = confusionMatrix
        self.confusionRule = confusionRule ?? comparison.answerRule ?? .answer
        self.sizeCurve = sizeCurve
        self.modelGraphSVG = modelGraphSVG
        self.provenance = provenance
        self.overview = overview
    }

    /// The HTML page.
    public func build() -> String {
        var html = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8"/>
            <meta name="viewport" content="width=device-width, initial-scale=1"/>
            <title>\(e(title))</title>
            <style>\(Self.style)</style>
            </head>
            <body>
            <main>
            <h1>\(e(title))</h1>

            """
        if let p = provenance {
            html +=
                "<p class=\"meta\">Created \(e(p.createdAt)) · run \(e(p.runID)) · <code>\(e(p.command))</code></p>\n"
        }
        html += overviewSection() + summarySection() + learningCurvesSection() + membersVersusVoteSection()
        html += confusionSection() + ensembleSizeSection() + modelGraphSection()
        return html + "</main>\n</body>\n</html>\n"
    }

    /// Writes the page to `url`.
    public func write(to url: URL) throws { try Data(build().utf8).write(to: url, options: .atomic) }

    /// The page's style: text and tables wrap and charts shrink to the width there is, so that nothing but a
    /// data table's own box ever scrolls sideways.
    static let style = """

        *, *::before, *::after { box-sizing: border-box; }
        body { font-family: Helvetica, Arial, sans-serif; margin: 0; color: #222; line-height: 1.4; }
        main { max-width: 1340px; margin: 0 auto; padding: 1em; }
        h1 { margin: 0.3em 0 0.2em; overflow-wrap: anywhere; }
        h2 { border-bottom: 1px solid #ccc; padding-bottom: 0.2em; margin-top: 2em; }
        table { border-collapse: collapse; margin: 0.8em 0; }
        th, td { padding: 0.25em 0.8em; border-bottom: 1px solid #e5e5e5; }
        th { text-align: left; background: #f4f4f4; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        td.long { overflow-wrap: anywhere; min-width: 8em; }
        @media (max-width: 640px) { th, td { padding: 0.2em 0.35em; } main { padding: 0.6em; } }
        code { overflow-wrap: anywhere; white-space: pre-wrap; }
        .meta, .note { color: #555; font-size: 0.9em; }
        .scroll { overflow-x: auto; max-width: 100%; }
        .fit { display: inline-block; padding: 0.05em 0.5em; border-radius: 0.6em; font-size: 0.85em; cursor: help;
          white-space: nowrap; }
        .fit-good-fit { background: #d9f2e3; } .fit-overfitting { background: #fbd9c9; }
        .fit-underfitting { background: #fdf0c2; } .fit-too-short-to-judge { background: #e8e8e8; }
        svg { display: block; max-width: 100%; height: auto; }
        .charts { display: flex; flex-wrap: wrap; gap: 1em; }
        figure { margin: 0.5em 0; min-width: 0; } .charts > figure { flex: 1 1 560px; max-width: 640px; }
        details.data { margin: 0.3em 0 1em; font-size: 0.9em; }
        details.data summary { cursor: pointer; color: #0a5a8c; }
        dl.settings { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 0.2em 1em; }
        dl.settings dt { font-weight: bold; } dl.settings dd { margin: 0; overflow-wrap: anywhere; }
        ul.conclusions li { margin: 0.3em 0; }

        """

    // MARK: - Sections

    private func overviewSection() -> String {
        let c = comparison
        var s = "<section id=\"overview\">\n<h2>Overview</h2>\n<dl class=\"settings\">\n"
        var rows: [(String, String)] = []
        if let o = overview {
            rows += [
                ("data set", o.dataSet), ("model", o.model), ("optimizer", o.optimizer),
                ("learning rate", o.learningRate), ("batch size", o.batchSize), ("epochs", o.epochs),
                ("schedule", o.schedule)
            ]
        }
        rows.append(("members", "\(c.members.count), scored on \(c.testCount) test images"))
        if let wall = overview?.wallSeconds { rows.append(("wall time", ReportOverview.duration(wall))) }
        let memberSeconds = c.members.compactMap { histories[$0.name] }.map { $0.reduce(0) { $0 + $1.seconds } }
            .filter { $0 > 0 }
        if let low = memberSeconds.min(), let high = memberSeconds.max() {
            let mean = memberSeconds.reduce(0, +) / Double(memberSeconds.count)
            var text = "\(ReportOverview.duration(mean)) of training on average"
            if memberSeconds.count > 1 {
                text += " (\(ReportOverview.duration(low)) to \(ReportOverview.duration(high)))"
            }
            rows.append(("time per member", text))
        }
        s += rows.map { "<dt>\(e($0.0))</dt><dd>\(e($0.1))</dd>\n" }.joined()
        s += "</dl>\n"
        let sentences = ReportConclusions.sentences(comparison: c, sizeCurve: sizeCurve, histories: histories)
        if !sentences.isEmpty {
            s += "<h3>Conclusions</h3>\n<ul class=\"conclusions\">\n"
            s += sentences.map { "<li>\(e($0))</li>\n" }.joined() + "</ul>\n"
        }
        return s + "</section>\n"
    }

    private func summarySection() -> String {
        let c = comparison
        var s = "<section id=\"summary\">\n<h2>Summary</h2>\n"
        s += "<div class=\"scroll\"><table class=\"members\">\n<tr><th>member</th><th>seed</th><th>augmentation</th>"
        s += "<th>validation</th><th>test</th><th>fit</th></tr>\n"
        for m in c.members {
            let fit = diagnosis(of: m.name).map(badge) ?? "–"
            s += "<tr><td>\(e(m.name))</td><td class=\"num\">\(m.seed)</td><td class=\"long\">\(e(m.augmentation))</td>"
            s += "<td class=\"num\">\(m.validationAccuracy.map(Format.percent) ?? "–")</td>"
            s += "<td class=\"num\">\(Format.percent(m.testAccuracy))</td><td>\(fit)</td></tr>\n"
        }
        s += "</table></div>\n"
        s += "<div class=\"scroll\"><table class=\"votes\">\n<tr><th>vote</th><th>accuracy</th><th>vs mean</th>"
        s += "<th>vs best</th><th>tied</th></tr>\n"
        for v in c.votes {
            let name = v.rule == c.answerRule ? "\(v.rule.rawValue) (answer)" : v.rule.rawValue
            s += "<tr><td>\(name)</td><td class=\"num\">\(Format.percent(v.accuracy))</td>"
            s += "<td class=\"num\">\(Format.points(v.gainOverMean))</td>"
            s += "<td class=\"num\">\(Format.points(v.gainOverBest))</td><td class=\"num\">\(v.tiedCount)</td></tr>\n"
        }
        s += "</table></div>\n<table class=\"figures\">\n"
        let spread = "\(Format.percent(c.meanAccuracy)) ± \(Format.fixed(c.stdAccuracy * 100, 2)) pt"
        let figures: [(String, String, String)] = [
            ("members", spread, "mean ± std"),
            ("best member", Format.percent(c.bestAccuracy), c.bestMember),
            ("oracle", Format.percent(c.oracleAccuracy), "some member is right"),
            ("disagreement", Format.percent(c.meanDisagreement), "mean over member pairs")
        ]
        for (key, value, note) in figures {
            s += "<tr><th>\(key)</th><td class=\"num\">\(value)</td><td>\(e(note))</td></tr>\n"
        }
        s += "</table>\n<p class=\"note\">Hard vote: most votes wins; among tied classes the highest mean probability "
        s += "wins, then the lowest class index. Soft vote: the highest mean probability wins.</p>\n"
        return s + "</section>\n"
    }

    func diagnosis(of member: String) -> FittingDiagnosis? {
        histories[member].map(FittingDiagnosis.diagnose)
    }

    /// Why a member got its verdict, as its badge's tooltip and beside its curves.
    func explanation(_ d: FittingDiagnosis) -> String {
        guard d.reasons.isEmpty else { return d.reasons.joined(separator: "; ") }
        return "validation loss never rose two epochs in a row while training loss fell, training and validation "
            + "accuracy end within \(Format.fixed(FittingDiagnosis.gapPoints, 0)) points of each other, and training "
            + "accuracy had levelled off"
    }

    func badge(_ d: FittingDiagnosis) -> String {
        let cls = d.verdict.rawValue.replacingOccurrences(of: " ", with: "-")
        return "<span class=\"fit fit-\(cls)\" title=\"\(e(explanation(d)))\">\(e(d.verdict.rawValue))</span>"
    }

    /// A chart with its figures folded under it.
    func figure(_ svg: String, _ table: DataTable) -> String { "<figure>\n\(svg)\(table.html())</figure>\n" }

    func e(_ text: String) -> String { XMLText.escape(text) }
}
