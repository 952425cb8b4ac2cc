import Foundation

extension SVGChart {
    /// What the cells of a heat map show.
    public enum HeatMapMode {
        /// Raw counts, with a per-row recall column (the diagonal cell's share of its row).
        case counts
        /// Each cell as a percentage of its row: for a confusion matrix, recall on the diagonal.
        case rowPercent
    }

    /// A grid of counts (rows: true class, columns: predicted class for a confusion matrix) with its value
    /// written in each cell and on hover. Colour grows with the square root of the value, so that the few
    /// errors off the diagonal remain visible beside the large diagonal counts; the colour bar is labelled at
    /// round, evenly stepped values placed where their colour is.
    public static func heatMap(
        title: String, rowLabels: [String], columnLabels: [String], values: [[Int]], mode: HeatMapMode = .counts,
        rowTitle: String = "true class", columnTitle: String = "predicted class"
    ) -> String {
        let rows = values.count, columns = values.map(\.count).max() ?? 0
        let rowSums = values.map { max($0.reduce(0, +), 1) }
        let shown: [[Double]] = values.enumerated().map { r, row in
            row.map { mode == .counts ? Double($0) : 100 * Double($0) / Double(rowSums[r]) }
        }
        let maxValue = mode == .counts ? max(Double(values.flatMap { $0 }.max() ?? 0), 1) : 100
        let text: (Double) -> String = { mode == .counts ? String(Int($0)) : fixed($0, $0 < 9.95 ? 1 : 0) }
        let labelWidth = 7.0 * Double(rowLabels.map(\.count).max() ?? 1) + 50
        // Column labels are turned 45°, so their height is about 0.7 of their length.
        let columnLabelHeight = 6.5 * 0.72 * Double(columnLabels.map(\.count).max() ?? 1) + 16
        let cell = max(14, min(48, 440 / Double(max(rows, columns, 1))))
        let left = labelWidth, top = 50 + columnLabelHeight
        let recallWidth = mode == .counts ? 56.0 : 0
        let gridRight = left + cell * Double(columns)
        let w = gridRight + recallWidth + 110, h = top + cell * Double(rows) + 40
        let gradientID = "scale-\(stableHash(title))"
        var svg = header(title: title, width: w, height: h)
        svg += "<defs><linearGradient id=\"\(gradientID)\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">"
        for stop in stride(from: 0.0, through: 1.0, by: 0.25) {
            svg += "<stop offset=\"\(f(stop))\" stop-color=\"\(heatColour(stop))\"/>"
        }
        svg += "</linearGradient></defs>\n"
        for r in 0..<rows {
            for c in 0..<values[r].count {
                let v = shown[r][c]
                let t = (v / maxValue).squareRoot()
                let x = left + cell * Double(c), y = top + cell * Double(r)
                let truth = r < rowLabels.count ? rowLabels[r] : "\(r)"
                let guess = c < columnLabels.count ? columnLabels[c] : "\(c)"
                let share = fixed(100 * Double(values[r][c]) / Double(rowSums[r]), 1)
                let hover = "\(rowTitle) \(truth), \(columnTitle) \(guess): \(values[r][c]) (\(share) % of the row)"
                svg += "<g><title>\(XMLText.escape(hover))</title>"
                svg += "<rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(cell))\" height=\"\(f(cell))\" "
                svg += "fill=\"\(heatColour(t))\" stroke=\"#ffffff\"/>"
                if cell >= 18 {
                    let size = min(12, cell * 0.32)
                    svg +=
                        "<text x=\"\(f(x + cell / 2))\" y=\"\(f(y + cell / 2 + size * 0.35))\" text-anchor=\"middle\" "
                    svg += "font-size=\"\(f(size))\" fill=\"\(t > 0.55 ? "#ffffff" : "#000000")\">\(text(v))</text>"
                }
                svg += "</g>\n"
            }
        }
        for (r, label) in rowLabels.prefix(rows).enumerated() {
            svg += "<text x=\"\(f(left - 6))\" y=\"\(f(top + cell * (Double(r) + 0.5) + 4))\" text-anchor=\"end\">"
            svg += "\(XMLText.escape(label))</text>\n"
        }
        for (c, label) in columnLabels.prefix(columns).enumerated() {
            let x = left + cell * (Double(c) + 0.5), y = top - 6
            svg += "<text x=\"\(f(x))\" y=\"\(f(y))\" transform=\"rotate(-45 \(f(x)) \(f(y)))\">"
            svg += "\(XMLText.escape(label))</text>\n"
        }
        if mode == .counts {
            svg += "<text x=\"\(f(gridRight + recallWidth / 2))\" y=\"\(f(top - 8))\" text-anchor=\"middle\" "
            svg += "font-weight=\"bold\">recall</text>\n"
            for r in 0..<rows where r < values[r].count {
                let recall = fixed(100 * Double(values[r][r]) / Double(rowSums[r]), 1)
                svg += "<text x=\"\(f(gridRight + recallWidth - 6))\" y=\"\(f(top + cell * (Double(r) + 0.5) + 4))\" "
                svg += "text-anchor=\"end\">\(recall) %</text>\n"
            }
        }
        let gridBottom = top + cell * Double(rows), middle = f(top + cell * Double(rows) / 2)
        svg += "<text x=\"\(f(left + cell * Double(columns) / 2))\" y=\"\(f(gridBottom + 24))\" text-anchor=\"middle\">"
        svg += "\(XMLText.escape(columnTitle))</text>\n"
        svg += "<text x=\"16\" y=\"\(middle)\" text-anchor=\"middle\" transform=\"rotate(-90 16 \(middle))\">"
        svg += "\(XMLText.escape(rowTitle))</text>\n"
        // Colour scale: the bar is linear in √value, so round values sit where their colour is.
        let barX = gridRight + recallWidth + 24, barH = max(cell * Double(rows), 60)
        svg += "<rect x=\"\(f(barX))\" y=\"\(f(top))\" width=\"14\" height=\"\(f(barH))\" "
        svg += "fill=\"url(#\(gradientID))\" stroke=\"#888888\"/>\n"
        let scale = AxisScale(low: 0, high: maxValue, targetTicks: 6, integers: mode == .counts)
        for tick in scale.ticks where tick <= maxValue + 1e-9 {
            let y = top + barH * (1 - (tick / maxValue).squareRoot())
            svg +=
                "<line x1=\"\(f(barX + 14))\" y1=\"\(f(y))\" x2=\"\(f(barX + 18))\" y2=\"\(f(y))\" stroke=\"#333333\"/>"
            svg += "<text x=\"\(f(barX + 21))\" y=\"\(f(y + 4))\" font-size=\"11\">\(scale.label(tick))</text>\n"
        }
        svg +=
            "<text x=\"\(f(barX))\" y=\"\(f(top - 8))\" font-size=\"11\">"
            + "\(mode == .counts ? "count" : "% of row")</text>\n"
        return svg + "</svg>\n"
    }

    /// White to dark blue; `t` in 0...1.
    static func heatColour(_ t: Double) -> String {
        let t = min(max(t, 0), 1)
        let from = (247.0, 251.0, 255.0), to = (8.0, 48.0, 107.0)
        let r = Int(from.0 + (to.0 - from.0) * t), g = Int(from.1 + (to.1 - from.1) * t),
            b = Int(from.2 + (to.2 - from.2) * t)
        return String(format: "#%02x%02x%02x", r, g, b)
    }
}
