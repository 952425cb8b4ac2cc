import Foundation

/// Standalone SVG charts built as strings: no external tools, valid XML, every text escaped.
///
/// Each chart carries a `viewBox` so it scales in a browser, a title, labelled axes with ticks and a
/// legend where there is more than one kind of mark. Units belong in the axis labels, e.g. "accuracy (%)".
public enum SVGChart {
    /// Colours for successive series (colour-blind-safe Okabe–Ito palette).
    static let palette = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]

    private static let width = 640.0
    private static let height = 400.0

    /// Lines through each series' points, x and y scaled to fit all series, with a legend of series names.
    public static func lineChart(
        title: String, xLabel: String, yLabel: String,
        series: [(name: String, points: [(x: Double, y: Double)])]
    ) -> String {
        let all = series.flatMap(\.points)
        let xs = AxisScale(
            low: all.map(\.x).min() ?? 0, high: all.map(\.x).max() ?? 1,
            integers: !all.isEmpty && all.allSatisfy { $0.x == $0.x.rounded() })
        let ys = AxisScale(low: all.map(\.y).min() ?? 0, high: all.map(\.y).max() ?? 1)
        let plot = Plot(left: 70, top: 60, right: width - 20, bottom: height - 55)
        var svg = header(title: title)
        svg += axes(plot: plot, xScale: xs, yScale: ys, xLabel: xLabel, yLabel: yLabel)
        for (i, s) in series.enumerated() {
            let colour = palette[i % palette.count]
            let points = s.points.sorted { $0.x < $1.x }
                .map { "\(f(plot.x(xs.fraction($0.x)))),\(f(plot.y(ys.fraction($0.y))))" }
            svg += "<g class=\"series\"><title>\(XMLText.escape(s.name))</title>\n"
            if points.count > 1 {
                svg +=
                    "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\" points=\"\(points.joined(separator: " "))\"/>\n"
            }
            for p in points {
                let xy = p.split(separator: ",")
                svg += "<circle cx=\"\(xy[0])\" cy=\"\(xy[1])\" r=\"3\" fill=\"\(colour)\"/>\n"
            }
            svg += "</g>\n"
        }
        svg += legend(
            series.enumerated().map { ($0.element.name, palette[$0.offset % palette.count], true) }, plot: plot)
        return svg + "</svg>\n"
    }

    /// One bar per entry with its value written above it; highlighted bars (e.g. votes) stand out in
    /// another colour, named in the legend by `legend`.
    public static func barChart(
        title: String, yLabel: String, bars: [(label: String, value: Double, highlight: Bool)],
        legend names: (normal: String, highlight: String) = ("member", "vote")
    ) -> String {
        let values = bars.map(\.value)
        let low = values.min() ?? 0, high = values.max() ?? 1
        // Bars start at zero unless all values sit far above it (accuracies around 90 %), where a zero
        // baseline would hide the differences the chart is for; the value labels keep it honest.
        let floor = low >= 0 && low < 0.5 * high ? 0 : low - max(high - low, abs(high) * 0.01) * 0.5
        // Headroom above the tallest bar keeps its value label inside the plot.
        let ys = AxisScale(low: floor, high: high + max(high - floor, 1e-9) * 0.08)
        let rotate = bars.count > 6
        let plot = Plot(left: 70, top: 60, right: width - 20, bottom: height - (rotate ? 95 : 55))
        var svg = header(title: title)
        svg += axes(plot: plot, xScale: nil, yScale: ys, xLabel: nil, yLabel: yLabel)
        let slot = (plot.right - plot.left) / Double(max(bars.count, 1))
        let barWidth = slot * 0.7
        let baseline = plot.y(ys.fraction(max(ys.lower, min(0, ys.upper))))
        for (i, bar) in bars.enumerated() {
            let colour = bar.highlight ? palette[1] : palette[0]
            let x = plot.left + slot * Double(i) + (slot - barWidth) / 2
            let top = plot.y(ys.fraction(bar.value))
            let y = min(top, baseline), h = abs(baseline - top)
            let label = XMLText.escape(bar.label)
            svg += "<g class=\"bar\"><title>\(label): \(ys.label(bar.value))</title>"
            svg += "<rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(barWidth))\" height=\"\(f(h))\" fill=\"\(colour)\"/>"
            svg += "<text x=\"\(f(x + barWidth / 2))\" y=\"\(f(y - 4))\" text-anchor=\"middle\" font-size=\"11\">"
            svg += "\(String(format: "%.2f", bar.value))</text></g>\n"
            let cx = x + barWidth / 2, cy = plot.bottom + 16
            if rotate {
                svg +=
                    "<text x=\"\(f(cx))\" y=\"\(f(cy))\" text-anchor=\"end\" transform=\"rotate(-35 \(f(cx)) \(f(cy)))\">\(label)</text>\n"
            } else {
                svg += "<text x=\"\(f(cx))\" y=\"\(f(cy))\" text-anchor=\"middle\">\(label)</text>\n"
            }
        }
        var entries: [(String, String, Bool)] = []
        if bars.contains(where: { !$0.highlight }) { entries.append((names.normal, palette[0], false)) }
        if bars.contains(where: \.highlight) { entries.append((names.highlight, palette[1], false)) }
        svg += legend(entries, plot: plot)
        return svg + "</svg>\n"
    }

    /// A grid of counts (rows: true class, columns: predicted class for a confusion matrix) with the count
    /// written in each cell. Colour grows with the square root of the count, so that the few errors off
    /// the diagonal remain visible beside the large diagonal counts.
    public static func heatMap(
        title: String, rowLabels: [String], columnLabels: [String], values: [[Int]],
        rowTitle: String = "true class", columnTitle: String = "predicted class"
    ) -> String {
        let rows = values.count, columns = values.map(\.count).max() ?? 0
        let maxValue = max(values.flatMap { $0 }.max() ?? 0, 1)
        let labelWidth = 7.0 * Double(rowLabels.map(\.count).max() ?? 1) + 50
        // Column labels are turned 45°, so their height is about 0.7 of their length.
        let columnLabelHeight = 6.5 * 0.72 * Double(columnLabels.map(\.count).max() ?? 1) + 16
        let cell = max(14, min(48, 440 / Double(max(rows, columns, 1))))
        let left = labelWidth, top = 50 + columnLabelHeight
        let w = left + cell * Double(columns) + 110, h = top + cell * Double(rows) + 40
        let gradientID = "scale-\(stableHash(title))"
        var svg = header(title: title, width: w, height: h)
        svg += "<defs><linearGradient id=\"\(gradientID)\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">"
        for stop in stride(from: 0.0, through: 1.0, by: 0.25) {
            svg += "<stop offset=\"\(f(stop))\" stop-color=\"\(heatColour(stop))\"/>"
        }
        svg += "</linearGradient></defs>\n"
        for r in 0..<rows {
            for c in 0..<values[r].count {
                let v = values[r][c]
                let t = (Double(v) / Double(maxValue)).squareRoot()
                let x = left + cell * Double(c), y = top + cell * Double(r)
                svg +=
                    "<rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(cell))\" height=\"\(f(cell))\" fill=\"\(heatColour(t))\" stroke=\"#ffffff\"/>"
                if cell >= 18 {
                    let size = min(12, cell * 0.32)
                    svg +=
                        "<text x=\"\(f(x + cell / 2))\" y=\"\(f(y + cell / 2 + size * 0.35))\" text-anchor=\"middle\" "
                        + "font-size=\"\(f(size))\" fill=\"\(t > 0.55 ? "#ffffff" : "#000000")\">\(v)</text>"
                }
                svg += "\n"
            }
        }
        for (r, label) in rowLabels.prefix(rows).enumerated() {
            svg +=
                "<text x=\"\(f(left - 6))\" y=\"\(f(top + cell * (Double(r) + 0.5) + 4))\" text-anchor=\"end\">\(XMLText.escape(label))</text>\n"
        }
        for (c, label) in columnLabels.prefix(columns).enumerated() {
            let x = left + cell * (Double(c) + 0.5), y = top - 6
            svg +=
                "<text x=\"\(f(x))\" y=\"\(f(y))\" transform=\"rotate(-45 \(f(x)) \(f(y)))\">\(XMLText.escape(label))</text>\n"
        }
        let gridBottom = top + cell * Double(rows)
        svg +=
            "<text x=\"\(f(left + cell * Double(columns) / 2))\" y=\"\(f(gridBottom + 24))\" text-anchor=\"middle\">\(XMLText.escape(columnTitle))</text>\n"
        svg +=
            "<text x=\"16\" y=\"\(f(top + cell * Double(rows) / 2))\" text-anchor=\"middle\" "
            + "transform=\"rotate(-90 16 \(f(top + cell * Double(rows) / 2)))\">\(XMLText.escape(rowTitle))</text>\n"
        // Colour scale: the bar is linear in √count, so its labels are placed at the matching counts.
        let barX = left + cell * Double(columns) + 24, barH = max(cell * Double(rows), 60)
        svg +=
            "<rect x=\"\(f(barX))\" y=\"\(f(top))\" width=\"14\" height=\"\(f(barH))\" fill=\"url(#\(gradientID))\" stroke=\"#888888\"/>\n"
        for t in [0.0, 0.5, 1.0] {
            let count = Int((t * t * Double(maxValue)).rounded())
            svg += "<text x=\"\(f(barX + 20))\" y=\"\(f(top + barH * (1 - t) + 4))\" font-size=\"11\">\(count)</text>\n"
        }
        svg += "<text x=\"\(f(barX))\" y=\"\(f(top - 8))\" font-size=\"11\">count</text>\n"
        return svg + "</svg>\n"
    }

    // MARK: - Pieces

    /// The plotting rectangle in SVG coordinates (y grows downwards).
    struct Plot {
        let left: Double, top: Double, right: Double, bottom: Double
        func x(_ fraction: Double) -> Double { left + fraction * (right - left) }
        func y(_ fraction: Double) -> Double { bottom - fraction * (bottom - top) }
    }

    private static func header(title: String, width: Double = width, height: Double = height) -> String {
        let t = XMLText.escape(title)
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(f(width))\" height=\"\(f(height))\" "
            + "viewBox=\"0 0 \(f(width)) \(f(height))\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n"
            + "<title>\(t)</title>\n"
            + "<rect width=\"\(f(width))\" height=\"\(f(height))\" fill=\"#ffffff\"/>\n"
            + "<text x=\"\(f(width / 2))\" y=\"24\" text-anchor=\"middle\" font-size=\"16\" font-weight=\"bold\">\(t)</text>\n"
    }

    private static func axes(plot: Plot, xScale: AxisScale?, yScale: AxisScale, xLabel: String?, yLabel: String)
        -> String
    {
        var svg = "<g class=\"axes\" stroke=\"#333333\">\n"
        for tick in yScale.ticks {
            let y = f(plot.y(yScale.fraction(tick)))
            svg += "<line x1=\"\(f(plot.left))\" y1=\"\(y)\" x2=\"\(f(plot.right))\" y2=\"\(y)\" stroke=\"#e5e5e5\"/>"
            svg += "<line x1=\"\(f(plot.left - 5))\" y1=\"\(y)\" x2=\"\(f(plot.left))\" y2=\"\(y)\"/>"
            svg +=
                "<text x=\"\(f(plot.left - 8))\" y=\"\(y)\" dy=\"4\" text-anchor=\"end\" stroke=\"none\">\(yScale.label(tick))</text>\n"
        }
        if let xScale {
            for tick in xScale.ticks {
                let x = f(plot.x(xScale.fraction(tick)))
                svg += "<line x1=\"\(x)\" y1=\"\(f(plot.bottom))\" x2=\"\(x)\" y2=\"\(f(plot.bottom + 5))\"/>"
                svg +=
                    "<text x=\"\(x)\" y=\"\(f(plot.bottom + 18))\" text-anchor=\"middle\" stroke=\"none\">\(xScale.label(tick))</text>\n"
            }
        }
        svg +=
            "<line x1=\"\(f(plot.left))\" y1=\"\(f(plot.bottom))\" x2=\"\(f(plot.right))\" y2=\"\(f(plot.bottom))\"/>\n"
        svg += "<line x1=\"\(f(plot.left))\" y1=\"\(f(plot.top))\" x2=\"\(f(plot.left))\" y2=\"\(f(plot.bottom))\"/>\n"
        svg += "</g>\n"
        if let xLabel {
            svg +=
                "<text x=\"\(f((plot.left + plot.right) / 2))\" y=\"\(f(plot.bottom + 40))\" text-anchor=\"middle\">\(XMLText.escape(xLabel))</text>\n"
        }
        let cy = f((plot.top + plot.bottom) / 2)
        svg +=
            "<text x=\"18\" y=\"\(cy)\" text-anchor=\"middle\" transform=\"rotate(-90 18 \(cy))\">\(XMLText.escape(yLabel))</text>\n"
        return svg
    }

    /// A one-row legend above the plot, right-aligned; `line` draws a line sample, otherwise a square.
    private static func legend(_ entries: [(name: String, colour: String, line: Bool)], plot: Plot) -> String {
        guard !entries.isEmpty else { return "" }
        let widths = entries.map { 30 + 6.5 * Double($0.name.count) }
        var x = max(plot.left, plot.right - widths.reduce(0, +))
        let y = plot.top - 18
        var svg = "<g class=\"legend\">\n"
        for (entry, w) in zip(entries, widths) {
            if entry.line {
                svg +=
                    "<line x1=\"\(f(x))\" y1=\"\(f(y))\" x2=\"\(f(x + 18))\" y2=\"\(f(y))\" stroke=\"\(entry.colour)\" stroke-width=\"3\"/>"
            } else {
                svg += "<rect x=\"\(f(x + 4))\" y=\"\(f(y - 5))\" width=\"10\" height=\"10\" fill=\"\(entry.colour)\"/>"
            }
            svg += "<text x=\"\(f(x + 22))\" y=\"\(f(y + 4))\">\(XMLText.escape(entry.name))</text>\n"
            x += w
        }
        return svg + "</g>\n"
    }

    /// White to dark blue; `t` in 0...1.
    private static func heatColour(_ t: Double) -> String {
        let t = min(max(t, 0), 1)
        let from = (247.0, 251.0, 255.0), to = (8.0, 48.0, 107.0)
        let r = Int(from.0 + (to.0 - from.0) * t), g = Int(from.1 + (to.1 - from.1) * t),
            b = Int(from.2 + (to.2 - from.2) * t)
        return String(format: "#%02x%02x%02x", r, g, b)
    }

    /// A coordinate with at most two decimals.
    static func f(_ v: Double) -> String {
        let rounded = (v * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    /// FNV-1a of `text`, for ids that differ between charts embedded in one page.
    private static func stableHash(_ text: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return String(h, radix: 16)
    }
}
