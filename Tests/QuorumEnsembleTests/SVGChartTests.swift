import XCTest
@testable import QuorumEnsemble

final class SVGChartTests: XCTestCase {
    func testLineChartIsValidSVGWithAxesAndLegend() {
        let svg = SVGChart.lineChart(
            title: "Loss <train & val>", xLabel: "epoch", yLabel: "loss (nats)",
            series: [("train", [(1, 0.9), (2, 0.5), (3, 0.3)]), ("validation <&>", [(1, 1.0), (2, 0.7), (3, 0.75)])])
        let xml = XMLCheck.parse(svg)
        XCTAssertEqual(xml.elements.first, "svg")
        XCTAssertTrue(svg.contains("viewBox=\"0 0 640 400\""))
        XCTAssertEqual(xml.elements.filter { $0 == "polyline" }.count, 2)
        XCTAssertEqual(xml.elements.filter { $0 == "circle" }.count, 6)
        XCTAssertTrue(xml.text.contains("Loss <train & val>"), "title text survives escaping")
        XCTAssertTrue(xml.text.contains("validation <&>"), "legend names the series")
        XCTAssertTrue(svg.contains("validation &lt;&amp;&gt;"))
        XCTAssertTrue(xml.text.contains("loss (nats)") && xml.text.contains("epoch"), "axis labels with units")
        for tick in ["0.2", "0.4", "0.6", "0.8", "1.0"] {
            XCTAssertTrue(xml.text.contains(tick), "missing y tick \(tick)")
        }
    }

    func testDegenerateInputsStayFinite() {
        let charts = [
            SVGChart.lineChart(title: "empty", xLabel: "x", yLabel: "y", series: []),
            SVGChart.lineChart(title: "one point", xLabel: "x", yLabel: "y", series: [("s", [(1, 5)])]),
            SVGChart.lineChart(title: "flat", xLabel: "x", yLabel: "y", series: [("s", [(1, 0), (2, 0)])]),
            SVGChart.dotPlot(title: "no dots", xLabel: "x", dots: [], references: [], legend: ("a", "b")),
            SVGChart.dotPlot(
                title: "equal", xLabel: "x", dots: [SVGChart.Dot("a", 3), SVGChart.Dot("b", 3, highlight: true)],
                references: [("mean", 3)], legend: ("a", "b")),
            SVGChart.heatMap(title: "zeros", rowLabels: ["a"], columnLabels: ["a"], values: [[0]])
        ]
        for svg in charts {
            _ = XMLCheck.parse(svg)
            XCTAssertFalse(svg.lowercased().contains("nan") || svg.contains("inf"), svg)
        }
    }

    func testHeatMapWritesCountsAndEscapesLabels() {
        let svg = SVGChart.heatMap(
            title: "Confusion", rowLabels: ["cat", "<&>"], columnLabels: ["cat", "<&>"],
            values: [[950, 50], [7, 993]])
        let xml = XMLCheck.parse(svg)
        for count in ["950", "50", "7", "993"] { XCTAssertTrue(xml.text.contains(count), "missing count \(count)") }
        XCTAssertTrue(xml.text.contains("true class") && xml.text.contains("predicted class"))
        XCTAssertFalse(svg.contains("<&>"))
        XCTAssertEqual(
            svg.components(separatedBy: ">&lt;&amp;&gt;</text>").count - 1, 2, "row and column label escaped")
        XCTAssertTrue(xml.elements.contains("linearGradient"), "colour scale")
        // The largest count gets the darkest cell.
        XCTAssertTrue(svg.contains("fill=\"#08306b\""))
    }

    func testAxisScaleChoosesRoundTicks() {
        let axis = AxisScale(low: 91.25, high: 92.68)
        XCTAssertLessThanOrEqual(axis.lower, 91.25)
        XCTAssertGreaterThanOrEqual(axis.upper, 92.68)
        XCTAssertEqual(axis.step, 0.5)
        XCTAssertEqual(axis.ticks.map(axis.label), ["91.0", "91.5", "92.0", "92.5", "93.0"])
        let epochs = AxisScale(low: 1, high: 3, integers: true)
        XCTAssertEqual(epochs.ticks.map(epochs.label), ["1", "2", "3"], "no half epochs")
    }
}
