import Foundation

/// Standalone SVG charts built as strings: no external tools, valid XML, every text escaped.
///
/// Each chart carries a `viewBox` so it scales in a browser, a title that is also its accessible name
/// (`role="img"`), labelled axes with ticks, a legend where there is more than one kind of mark, and a
/// `<title>` on every data mark, which browsers show on hover. Units belong in the axis labels, e.g.
/// "accuracy (%)".
public enum SVGChart {
    /// Colours for successive series: Okabe–Ito's hues, darkened where needed so that every one has at least
    /// 3:1 contrast against white (WCAG's minimum for graphics); the lightest is 3.4:1.
    static let palette = [
        "#0072B2", "#D55E00", "#009E73", "#AA4499", "#9E6B00", "#882255", "#332288", "#117733", "#666666",
        "#000000"
    ]

    static let width = 640.0
    static let height = 400.0

    /// One line of a line chart: its points, colour and stroke.
    public struct Line {
        /// The name its points' hover texts start with.
        public var name: String
        /// The points, in any order (drawn by increasing x); non-finite y values are left out.
        public var points: [(x: Double, y: Double)]
        /// The stroke and point colour.
        public var colour: String
        /// Dashed (e.g. training curves beside solid validation curves).
        public var dashed: Bool

        /// A line.
        public init(_ name: String, _ points: [(x: Double, y: Double)], colour: String, dashed: Bool = false) {
            self.name = name
            self.points = points
            self.colour = colour
            self.dashed = dashed
        }
    }

    /// A shaded range around a line, e.g. the spread of accuracies over member subsets.
    public struct Band {
        /// What the band shows, for its hover text.
        public var name: String
        /// `(x, low, high)` per point.
        public var points: [(x: Double, low: Double, high: Double)]
        /// The fill colour (drawn translucent).
        public var colour: String

        /// A band.
        public init(_ name: String, _ points: [(x: Double, low: Double, high: Double)], colour: String) {
            self.name = name
            self.points = points
            self.colour = colour
        }
    }

    /// One legend entry.
    public struct LegendEntry {
        /// How the sample is drawn.
        public enum Mark { case line, dashedLine, square, band }
        /// The entry's text.
        public var name: String
        /// The sample's colour.
        public var colour: String
        /// The sample's shape.
        public var mark: Mark

        /// An entry.
        public init(_ name: String, colour: String, mark: Mark) {
            self.name = name
            self.colour = colour
            self.mark = mark
        }
    }

    /// Lines through each series' points in palette colours, with a legend of series names.
    public static func lineChart(
        title: String, xLabel: String, yLabel: String,
        series: [(name: String, points: [(x: Double, y: Double)])]
    ) -> String {
        let lines = series.enumerated().map {
            Line($0.element.name, $0.element.points, colour: palette[$0.offset % palette.count])
        }
        return lineChart(
            title: title, xLabel: xLabel, yLabel: yLabel, lines: lines,
            legend: lines.map { LegendEntry($0.name, colour: $0.colour, mark: .line) })
    }

    /// Lines (and bands) on shared axes. Integer x values (epochs, member counts) get a tight axis that starts
    /// at the first one; each point's hover text names the line, x, and y as `format` writes it.
    public static func lineChart(
        title: String, xLabel: String, yLabel: String, lines: [Line], bands: [Band] = [],
        legend: [LegendEntry], format: ((Double) -> String)? = nil
    ) -> String {
        let format = format ?? { fixed($0, 2) }
        let points = lines.flatMap(\.points).filter { $0.y.isFinite && $0.x.isFinite }
        let ys = points.map(\.y) + bands.flatMap { $0.points.flatMap { [$0.low, $0.high] } }.filter(\.isFinite)
        let integers = !points.isEmpty && points.allSatisfy { $0.x == $0.x.rounded() }
        let xs = AxisScale(
            low: points.map(\.x).min() ?? 0, high: points.map(\.x).max() ?? 1, integers: integers, tight: integers)
        let yScale = AxisScale(low: ys.min() ?? 0, high: ys.max() ?? 1)
        let (legendSVG, legendHeight) = self.legend(legend, left: 70, right: width - 20, top: 40)
        let plot = Plot(left: 70, top: 50 + legendHeight, right: width - 20, bottom: height - 55)
        var svg = header(title: title)
        svg += axes(plot: plot, xScale: xs, yScale: yScale, xLabel: xLabel, yLabel: yLabel)
        for band in bands {
            let sorted = band.points.filter { $0.low.isFinite && $0.high.isFinite }.sorted { $0.x < $1.x }
            guard sorted.count > 1 else { continue }
            let upper = sorted.map { "\(f(plot.x(xs.fraction($0.x)))),\(f(plot.y(yScale.fraction($0.high))))" }
            let lower = sorted.reversed().map {
                "\(f(plot.x(xs.fraction($0.x)))),\(f(plot.y(yScale.fraction($0.low))))"
            }
            let range = sorted.map { "\(fixed($0.x, 0)): \(format($0.low))–\(format($0.high))" }
            svg += "<polygon fill=\"\(band.colour)\" fill-opacity=\"0.15\" stroke=\"none\" "
            svg += "points=\"\((upper + lower).joined(separator: " "))\">"
            svg += "<title>\(XMLText.escape("\(band.name): \(range.joined(separator: "; "))"))</title></polygon>\n"
        }
        for line in lines {
            let sorted = line.points.filter { $0.y.isFinite && $0.x.isFinite }.sorted { $0.x < $1.x }
            let xy = sorted.map { (plot.x(xs.fraction($0.x)), plot.y(yScale.fraction($0.y))) }
            svg += "<g class=\"series\">\n"
            if xy.count > 1 {
                let dash = line.dashed ? " stroke-dasharray=\"6 4\"" : ""
                svg += "<polyline fill=\"none\" stroke=\"\(line.colour)\" stroke-width=\"2\"\(dash) "
                svg += "points=\"\(xy.map { "\(f($0.0)),\(f($0.1))" }.joined(separator: " "))\"/>\n"
            }
            for (p, point) in zip(xy, sorted) {
                let hover =
                    "\(line.name), \(xLabel) \(integers ? fixed(point.x, 0) : format(point.x)): "
                    + format(point.y)
                // A transparent stroke widens the spot that shows the hover text without drawing anything.
                svg += "<circle cx=\"\(f(p.0))\" cy=\"\(f(p.1))\" r=\"3\" fill=\"\(line.colour)\" "
                svg += "stroke=\"transparent\" stroke-width=\"6\"><title>\(XMLText.escape(hover))</title></circle>\n"
            }
            svg += "</g>\n"
        }
        return svg + legendSVG + "</svg>\n"
    }

    // MARK: - Pieces

    /// The plotting rectangle in SVG coordinates (y grows downwards).
    struct Plot {
        let left: Double, top: Double, right: Double, bottom: Double
        func x(_ fraction: Double) -> Double { left + fraction * (right - left) }
        func y(_ fraction: Double) -> Double { bottom - fraction * (bottom - top) }
    }

    /// The opening tag, accessible name and background of a chart.
    static func header(title: String, width: Double = width, height: Double = height) -> String {
        let t = XMLText.escape(title)
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(f(width))\" height=\"\(f(height))\" "
            + "viewBox=\"0 0 \(f(width)) \(f(height))\" role=\"img\" aria-label=\"\(t)\" "
            + "font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n"
            + "<title>\(t)</title>\n"
            + "<rect width=\"\(f(width))\" height=\"\(f(height))\" fill=\"#ffffff\"/>\n"
            + "<text x=\"\(f(width / 2))\" y=\"24\" text-anchor=\"middle\" font-size=\"16\" "
            + "font-weight=\"bold\">\(t)</text>\n"
    }

    /// Grid lines, ticks and labels; a nil `xScale` draws no x ticks, a nil `yScale` no y ticks.
    static func axes(plot: Plot, xScale: AxisScale?, yScale: AxisScale?, xLabel: String?, yLabel: String?)
        -> String
    {
        var svg = "<g class=\"axes\" stroke=\"#333333\">\n"
        for tick in yScale?.ticks ?? [] {
            let y = f(plot.y(yScale!.fraction(tick)))
            svg += "<line x1=\"\(f(plot.left))\" y1=\"\(y)\" x2=\"\(f(plot.right))\" y2=\"\(y)\" stroke=\"#e5e5e5\"/>"
            svg += "<line x1=\"\(f(plot.left - 5))\" y1=\"\(y)\" x2=\"\(f(plot.left))\" y2=\"\(y)\"/>"
            svg += "<text x=\"\(f(plot.left - 8))\" y=\"\(y)\" dy=\"4\" text-anchor=\"end\" stroke=\"none\">"
            svg += "\(yScale!.label(tick))</text>\n"
        }
        for tick in xScale?.ticks ?? [] {
            let x = f(plot.x(xScale!.fraction(tick)))
            if yScale == nil {
                svg +=
                    "<line x1=\"\(x)\" y1=\"\(f(plot.top))\" x2=\"\(x)\" y2=\"\(f(plot.bottom))\" stroke=\"#e5e5e5\"/>"
            }
            svg += "<line x1=\"\(x)\" y1=\"\(f(plot.bottom))\" x2=\"\(x)\" y2=\"\(f(plot.bottom + 5))\"/>"
            svg += "<text x=\"\(x)\" y=\"\(f(plot.bottom + 18))\" text-anchor=\"middle\" stroke=\"none\">"
            svg += "\(xScale!.label(tick))</text>\n"
        }
        svg += "<line x1=\"\(f(plot.left))\" y1=\"\(f(plot.bottom))\" x2=\"\(f(plot.right))\" "
        svg += "y2=\"\(f(plot.bottom))\"/>\n"
        svg += "<line x1=\"\(f(plot.left))\" y1=\"\(f(plot.top))\" x2=\"\(f(plot.left))\" y2=\"\(f(plot.bottom))\"/>\n"
        svg += "</g>\n"
        if let xLabel {
            svg += "<text x=\"\(f((plot.left + plot.right) / 2))\" y=\"\(f(plot.bottom + 40))\" text-anchor=\"middle\">"
            svg += "\(XMLText.escape(xLabel))</text>\n"
        }
        if let yLabel {
            let cy = f((plot.top + plot.bottom) / 2)
            svg += "<text x=\"18\" y=\"\(cy)\" text-anchor=\"middle\" transform=\"rotate(-90 18 \(cy))\">"
            svg += "\(XMLText.escape(yLabel))</text>\n"
        }
        return svg
    }

    /// A legend that fills rows from `left` to `right` under `top`, and the height it takes.
    static func legend(_ entries: [LegendEntry], left: Double, right: Double, top: Double) -> (String, Double) {
        guard !entries.isEmpty else { return ("", 0) }
        let rowHeight = 18.0
        var x = left, y = top
        var svg = "<g class=\"legend\">\n"
        for entry in entries {
            let w = 34 + 6.5 * Double(entry.name.count)
            if x + w > right && x > left {
                x = left
                y += rowHeight
            }
            switch entry.mark {
            case .line, .dashedLine:
                let dash = entry.mark == .dashedLine ? " stroke-dasharray=\"6 4\"" : ""
                svg += "<line x1=\"\(f(x))\" y1=\"\(f(y))\" x2=\"\(f(x + 20))\" y2=\"\(f(y))\" "
                svg += "stroke=\"\(entry.colour)\" stroke-width=\"3\"\(dash)/>"
            case .square:
                svg += "<rect x=\"\(f(x + 5))\" y=\"\(f(y - 5))\" width=\"10\" height=\"10\" fill=\"\(entry.colour)\"/>"
            case .band:
                svg += "<rect x=\"\(f(x))\" y=\"\(f(y - 6))\" width=\"20\" height=\"12\" fill=\"\(entry.colour)\" "
                svg += "fill-opacity=\"0.15\"/>"
            }
            svg += "<text x=\"\(f(x + 24))\" y=\"\(f(y + 4))\">\(XMLText.escape(entry.name))</text>\n"
            x += w
        }
        return (svg + "</g>\n", y - top + rowHeight)
    }

    /// A coordinate with at most two decimals.
    static func f(_ v: Double) -> String {
        let rounded = (v * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    /// A value with exactly `decimals` decimals, for hover and table text.
    static func fixed(_ v: Double, _ decimals: Int) -> String { Format.fixed(v, decimals) }

    /// FNV-1a of `text`, for ids that differ between charts embedded in one page.
    static func stableHash(_ text: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return String(h, radix: 16)
    }
}
