import Foundation

extension SVGChart {
    /// One row of a dot plot.
    public struct Dot {
        /// The row's label.
        public var label: String
        /// Where the dot sits on the x axis.
        public var value: Double
        /// Drawn in the second colour (e.g. votes among members).
        public var highlight: Bool

        /// A row.
        public init(_ label: String, _ value: Double, highlight: Bool = false) {
            self.label = label
            self.value = value
            self.highlight = highlight
        }
    }

    /// One row per dot, the value written beside it, and vertical reference lines across all rows.
    ///
    /// Dots show values by position, not length, so the axis spans only the values (a bar chart would have to
    /// start at zero to be honest). Hover texts carry `decimals` decimals.
    public static func dotPlot(
        title: String, xLabel: String, dots: [Dot], references: [(name: String, value: Double)],
        legend names: (normal: String, highlight: String), decimals: Int = 2
    ) -> String {
        let values = dots.map(\.value) + references.map(\.value)
        let xs = AxisScale(low: values.min() ?? 0, high: values.max() ?? 1)
        let labelWidth = min(200, 6.8 * Double(dots.map(\.label.count).max() ?? 1) + 16)
        // Narrower than the line charts: rows need no width, and a phone shrinks the chart less.
        let rowHeight = 24.0, chartWidth = 560.0
        let referenceColours = ["#333333", "#666666"]
        var entries: [LegendEntry] = []
        if dots.contains(where: { !$0.highlight }) {
            entries.append(LegendEntry(names.normal, colour: palette[0], mark: .square))
        }
        if dots.contains(where: \.highlight) {
            entries.append(LegendEntry(names.highlight, colour: palette[1], mark: .square))
        }
        for (i, r) in references.enumerated() {
            entries.append(LegendEntry(r.name, colour: referenceColours[i % 2], mark: .dashedLine))
        }
        let (legendSVG, legendHeight) = legend(entries, left: 20, right: chartWidth - 20, top: 42)
        let top = 52 + legendHeight
        let plot = Plot(
            left: labelWidth, top: top, right: chartWidth - 60, bottom: top + rowHeight * Double(max(dots.count, 1)))
        let chartHeight = plot.bottom + 55
        var svg = header(title: title, width: chartWidth, height: chartHeight)
        svg += axes(plot: plot, xScale: xs, yScale: nil, xLabel: xLabel, yLabel: nil)
        for (i, r) in references.enumerated() {
            let x = f(plot.x(xs.fraction(r.value)))
            let dash = i % 2 == 0 ? "6 4" : "2 3"
            svg += "<line x1=\"\(x)\" y1=\"\(f(plot.top - 4))\" x2=\"\(x)\" y2=\"\(f(plot.bottom))\" "
            svg += "stroke=\"\(referenceColours[i % 2])\" stroke-width=\"2\" stroke-dasharray=\"\(dash)\">"
            svg += "<title>\(XMLText.escape("\(r.name): \(fixed(r.value, decimals))"))</title></line>\n"
        }
        for (i, dot) in dots.enumerated() {
            let y = plot.top + rowHeight * (Double(i) + 0.5)
            let x = plot.x(xs.fraction(dot.value))
            let colour = dot.highlight ? palette[1] : palette[0]
            let label = XMLText.escape(dot.label), value = fixed(dot.value, decimals)
            svg += "<g class=\"dot\"><title>\(label): \(value)</title>"
            svg += "<line x1=\"\(f(plot.left))\" y1=\"\(f(y))\" x2=\"\(f(x))\" y2=\"\(f(y))\" stroke=\"#cccccc\"/>"
            svg += "<circle cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"6\" fill=\"\(colour)\"/>"
            svg += "<text x=\"\(f(plot.left - 8))\" y=\"\(f(y + 4))\" text-anchor=\"end\">\(label)</text>"
            svg += "<text x=\"\(f(x + 10))\" y=\"\(f(y + 4))\" font-size=\"11\">\(value)</text></g>\n"
        }
        return svg + legendSVG + "</svg>\n"
    }
}
