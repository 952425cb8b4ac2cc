import QuorumData

extension ReportBuilder {
    /// One loss and one accuracy chart with every member on shared axes (validation solid, training dashed),
    /// the learning rate and epoch time when recorded, and each member's fitting verdict with its reasons.
    func learningCurvesSection() -> String {
        var s = "<section id=\"learning-curves\">\n<h2>Learning curves</h2>\n"
        let recorded = comparison.members.map(\.name).filter { histories[$0]?.isEmpty == false }
        guard !recorded.isEmpty else { return s + "<p>No training histories were recorded.</p>\n</section>\n" }
        let colours = Dictionary(
            uniqueKeysWithValues: recorded.enumerated().map {
                ($0.element, SVGChart.palette[$0.offset % SVGChart.palette.count])
            })
        let memberLegend = recorded.map { SVGChart.LegendEntry($0, colour: colours[$0]!, mark: .square) }
        let styleLegend = [
            SVGChart.LegendEntry("validation", colour: "#444444", mark: .line),
            SVGChart.LegendEntry("training", colour: "#444444", mark: .dashedLine)
        ]
        func chart(_ title: String, _ yLabel: String, _ value: (EpochStats, Bool) -> Double?) -> String {
            var lines: [SVGChart.Line] = [], rows: [Int: [String]] = [:]
            for name in recorded {
                let history = histories[name] ?? []
                for (validation, suffix) in [(true, "validation"), (false, "training")] {
                    let points = history.compactMap { h in value(h, validation).map { (Double(h.epoch), $0) } }
                    guard !points.isEmpty else { continue }
                    lines.append(
                        SVGChart.Line("\(name) \(suffix)", points, colour: colours[name]!, dashed: !validation))
                }
            }
            let epochs = Set(recorded.flatMap { histories[$0]!.map(\.epoch) }).sorted()
            for epoch in epochs {
                rows[epoch] = lines.map { line in
                    line.points.first { $0.x == Double(epoch) }.map { Format.fixed($0.y, 4) } ?? "–"
                }
            }
            let svg = SVGChart.lineChart(
                title: title, xLabel: "epoch", yLabel: yLabel, lines: lines, legend: memberLegend + styleLegend,
                format: { Format.fixed($0, 4) })
            let table = DataTable(
                caption: title, headers: ["epoch"] + lines.map(\.name), rows: epochs.map { ["\($0)"] + rows[$0]! })
            return figure(svg, table)
        }
        s += "<div class=\"charts\">\n"
        s += chart("Loss", "cross-entropy loss") { h, validation in validation ? h.validationLoss : h.trainLoss }
        s += chart("Accuracy", "accuracy (%)") { h, validation in
            (validation ? h.validationAccuracy : h.trainAccuracy).map { $0 * 100 }
        }
        s += rateAndTimeCharts(recorded, colours: colours)
        s += "</div>\n"
        s += "<p class=\"note\">Why training accuracy can sit below validation accuracy: training accuracy is measured "
        s += "during each epoch, on augmented images with dropout active and weights that are still changing; "
        s += "validation accuracy is measured after the epoch, on plain images with dropout off."
        let below = recorded.filter { name in
            guard let last = histories[name]?.last, let v = last.validationAccuracy else { return false }
            return last.trainAccuracy < v
        }
        if !below.isEmpty { s += " Here \(below.count) of \(recorded.count) members end that way." }
        s += "</p>\n"
        s += "<div class=\"scroll\"><table class=\"fits\">\n<tr><th>member</th><th>fit</th><th>why</th></tr>\n"
        for name in recorded {
            let d = FittingDiagnosis.diagnose(histories[name] ?? [])
            s += "<tr><td>\(e(name))</td><td>\(badge(d))</td><td>\(e(explanation(d)))</td></tr>\n"
        }
        s += "</table></div>\n<p class=\"note\">Fitting rule. \(e(FittingDiagnosis.ruleText))</p>\n"
        return s + "</section>\n"
    }

    /// The learning rate (one line when every member followed the same one) and the seconds per epoch.
    private func rateAndTimeCharts(_ recorded: [String], colours: [String: String]) -> String {
        var s = ""
        let rates = recorded.map { histories[$0]!.map(\.learningRate) }
        if rates.joined().contains(where: { $0 > 0 }) {
            let shared = Set(rates.map { $0.map(\.bitPattern) }).count == 1
            let names = shared ? ["all members"] : recorded
            let lines = zip(names, shared ? [recorded[0]] : recorded).map { name, member in
                SVGChart.Line(
                    name, histories[member]!.map { (Double($0.epoch), $0.learningRate) },
                    colour: shared ? SVGChart.palette[0] : colours[member]!)
            }
            s += lineFigure(
                "Learning rate at the end of each epoch", "learning rate", lines, format: { String(format: "%.3g", $0) }
            )
        }
        if recorded.contains(where: { histories[$0]!.contains { $0.seconds > 0 } }) {
            let lines = recorded.map { name in
                SVGChart.Line(name, histories[name]!.map { (Double($0.epoch), $0.seconds) }, colour: colours[name]!)
            }
            s += lineFigure("Time per epoch", "seconds", lines, format: { Format.fixed($0, 1) })
        }
        return s
    }

    /// A line chart over epochs with one legend entry per line, and its table.
    private func lineFigure(
        _ title: String, _ yLabel: String, _ lines: [SVGChart.Line], format: @escaping (Double) -> String
    )
        -> String
    {
        let svg = SVGChart.lineChart(
            title: title, xLabel: "epoch", yLabel: yLabel, lines: lines,
            legend: lines.count > 1 ? lines.map { SVGChart.LegendEntry($0.name, colour: $0.colour, mark: .line) } : [],
            format: format)
        let epochs = Set(lines.flatMap { $0.points.map { Int($0.x) } }).sorted()
        let rows = epochs.map { epoch in
            ["\(epoch)"] + lines.map { line in line.points.first { Int($0.x) == epoch }.map { format($0.y) } ?? "–" }
        }
        return figure(svg, DataTable(caption: title, headers: ["epoch"] + lines.map(\.name), rows: rows))
    }
}
