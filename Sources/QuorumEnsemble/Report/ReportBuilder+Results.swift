import Foundation

extension ReportBuilder {
    /// Members and votes as dots on one accuracy axis, with the mean member and the oracle as reference lines.
    func membersVersusVoteSection() -> String {
        let c = comparison
        var dots = c.members.map { SVGChart.Dot($0.name, $0.testAccuracy * 100) }
        dots += c.votes.map {
            SVGChart.Dot(
                "\($0.rule.rawValue) vote\($0.rule == c.answerRule ? " (answer)" : "")", $0.accuracy * 100,
                highlight: true)
        }
        let references = [("mean member", c.meanAccuracy * 100), ("oracle", c.oracleAccuracy * 100)]
        let title = "Test accuracy: members and votes"
        let svg = SVGChart.dotPlot(
            title: title, xLabel: "test accuracy (%)", dots: dots, references: references,
            legend: ("member", "vote"))
        let rows = dots.map { [$0.label, Format.fixed($0.value, 2)] } + references.map { [$0.0, Format.fixed($0.1, 2)] }
        var s = "<section id=\"members-vs-vote\">\n<h2>Members against votes</h2>\n"
        s += figure(svg, DataTable(caption: title, headers: ["", "test accuracy (%)"], rows: rows))
        s += "<p class=\"note\">Dots show accuracy by position, so the axis spans only the values measured. "
        s += "The oracle (some member is right, \(Format.percent(c.oracleAccuracy))) is the ceiling of any vote.</p>\n"
        return s + "</section>\n"
    }

    /// The answer vote's confusion matrix in counts (with per-class recall) and in row percentages, and the
    /// weakest class named.
    func confusionSection() -> String {
        var s = "<section id=\"confusion-matrix\">\n<h2>Confusion matrix</h2>\n"
        guard let matrix = confusionMatrix, !matrix.isEmpty else {
            return s + "<p>No confusion matrix was computed.</p>\n</section>\n"
        }
        let names = (0..<matrix.count).map { $0 < classNames.count ? classNames[$0] : "\($0)" }
        let answer = confusionRule == comparison.answerRule ? " (the answer)" : ""
        if let takeaway = Self.weakestClass(matrix, names: names) { s += "<p><strong>\(e(takeaway))</strong></p>\n" }
        let counts = "Confusion matrix of the \(confusionRule.rawValue) vote\(answer)"
        let recall = "Recall view: share of each true class, \(confusionRule.rawValue) vote (%)"
        let rows = matrix.enumerated().map { r, row in
            [names[r]] + row.map(String.init) + [Format.fixed(Self.recall(row, r) * 100, 1)]
        }
        s += "<div class=\"charts\">\n"
        s += figure(
            SVGChart.heatMap(title: counts, rowLabels: names, columnLabels: names, values: matrix),
            DataTable(caption: counts, headers: ["true \\ predicted"] + names + ["recall (%)"], rows: rows))
        let shares = matrix.map { row in
            row.map { Format.fixed(100 * Double($0) / Double(max(row.reduce(0, +), 1)), 1) }
        }
        s += figure(
            SVGChart.heatMap(title: recall, rowLabels: names, columnLabels: names, values: matrix, mode: .rowPercent),
            DataTable(
                caption: recall, headers: ["true \\ predicted"] + names,
                rows: shares.enumerated().map { [names[$0.offset]] + $0.element }))
        s += "</div>\n<p class=\"note\">Rows: true class; columns: predicted class. Recall: the share of a class's "
        s += "images predicted as that class (the diagonal of the second matrix). Colour grows with √value.</p>\n"
        return s + "</section>\n"
    }

    /// Recall of class `r` from its row of the confusion matrix (0 for an empty row).
    static func recall(_ row: [Int], _ r: Int) -> Double {
        let total = row.reduce(0, +)
        return total > 0 && r < row.count ? Double(row[r]) / Double(total) : 0
    }

    /// "Shirt is the weakest class: 74.0 % recall, mostly confused with T-shirt (120) and Coat (60)."
    static func weakestClass(_ matrix: [[Int]], names: [String]) -> String? {
        let scored = matrix.enumerated().filter { $0.element.reduce(0, +) > 0 }
        guard let (r, row) = scored.min(by: { recall($0.element, $0.offset) < recall($1.element, $1.offset) })
        else { return nil }
        let percent = Format.fixed(recall(row, r) * 100, 1)
        let confusions = row.enumerated().filter { $0.offset != r && $0.element > 0 }
            .sorted { $0.element > $1.element }.prefix(2).map { "\(names[$0.offset]) (\($0.element))" }
        guard !confusions.isEmpty else { return "Every class is recognised without a single confusion." }
        return "\(names[r]) is the weakest class: \(percent) % recall, mostly confused with "
            + confusions.joined(separator: " and ") + "."
    }

    /// Mean hard and soft vote accuracy per ensemble size, the spread over member subsets as bands, and what
    /// the curve says.
    func ensembleSizeSection() -> String {
        var s = "<section id=\"ensemble-size\">\n<h2>Accuracy against ensemble size</h2>\n"
        guard !sizeCurve.isEmpty else { return s + "<p>No ensemble-size curve was computed.</p>\n</section>\n" }
        let curve = sizeCurve.sorted { $0.size < $1.size }
        let hard = SVGChart.palette[0], soft = SVGChart.palette[1]
        let lines = [
            SVGChart.Line("hard vote", curve.map { (Double($0.size), $0.hardAccuracy * 100) }, colour: hard),
            SVGChart.Line("soft vote", curve.map { (Double($0.size), $0.softAccuracy * 100) }, colour: soft)
        ]
        func band(_ name: String, _ range: (EnsembleSizePoint) -> ClosedRange<Double>?, _ colour: String)
            -> SVGChart.Band
        {
            SVGChart.Band(
                name,
                curve.compactMap { p in range(p).map { (Double(p.size), $0.lowerBound * 100, $0.upperBound * 100) } },
                colour: colour)
        }
        let bands = [
            band("hard vote, lowest to highest subset", \.hardRange, hard),
            band("soft vote, lowest to highest subset", \.softRange, soft)
        ]
        let hasBands = bands.contains { $0.points.count > 1 }
        var legend = lines.map { SVGChart.LegendEntry($0.name, colour: $0.colour, mark: .line) }
        if hasBands { legend.append(SVGChart.LegendEntry("lowest to highest subset", colour: "#444444", mark: .band)) }
        let title = "Vote accuracy against ensemble size"
        let svg = SVGChart.lineChart(
            title: title, xLabel: "members in the vote", yLabel: "test accuracy (%)", lines: lines, bands: bands,
            legend: legend)
        func range(_ r: ClosedRange<Double>?) -> String {
            r.map { "\(Format.fixed($0.lowerBound * 100, 2))–\(Format.fixed($0.upperBound * 100, 2))" } ?? "–"
        }
        let rows = curve.map { p in
            [
                "\(p.size)", Format.fixed(p.hardAccuracy * 100, 2), range(p.hardRange),
                Format.fixed(p.softAccuracy * 100, 2),
                range(p.softRange), "\(p.subsets)\(p.exact ? "" : " sampled")"
            ]
        }
        let headers = ["members", "hard (%)", "hard range (%)", "soft (%)", "soft range (%)", "subsets"]
        s += figure(svg, DataTable(caption: title, headers: headers, rows: rows))
        let rule = ReportConclusions.answerVote(comparison)?.rule ?? .answer
        var conclusion = ReportConclusions.sizeSentence(curve, rule: rule) ?? ""
        let spreadPoint = curve.filter { $0.size > 1 }.max { width($0, rule) < width($1, rule) }
        if let p = spreadPoint, let r = rule == .hard ? p.hardRange : p.softRange, r.upperBound > r.lowerBound {
            conclusion += " Which members vote matters most at \(p.size) members: subsets score from "
            conclusion += "\(Format.percent(r.lowerBound)) to \(Format.percent(r.upperBound))."
        }
        if !conclusion.isEmpty { s += "<p>\(e(conclusion))</p>\n" }
        let exact = curve.filter(\.exact).map { "\($0.size)" }.joined(separator: ", ")
        s += "<p class=\"note\">Each point is the mean over member subsets of that size, and the band their lowest to "
        s +=
            "highest: every subset for sizes \(exact.isEmpty ? "none" : e(exact)); random member orders "
        s += "otherwise.</p>\n"
        return s + "</section>\n"
    }

    private func width(_ p: EnsembleSizePoint, _ rule: VoteRule) -> Double {
        guard let r = rule == .hard ? p.hardRange : p.softRange else { return 0 }
        return r.upperBound - r.lowerBound
    }

    func modelGraphSection() -> String {
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
}
