import XCTest
import QuorumData
@testable import QuorumEnsemble

final class ReportBuilderTests: XCTestCase {
    private func report(graph: String? = nil) throws -> ReportBuilder {
        let (predictions, labels) = try randomMembers(count: 3, samples: 200, classes: 3, seed: 4)
        let details = predictions.enumerated().map {
            ManifestMember(
                name: $0.element.name, file: "\($0.element.name).safetensors", seed: UInt64($0.offset),
                augmentation: "crop+flip", validationAccuracy: 0.7)
        }
        let comparison = try EnsembleComparison.evaluate(members: details, predictions: predictions, labels: labels)
        let overfit = [
            EpochStats(epoch: 1, trainLoss: 0.6, trainAccuracy: 0.80, validationLoss: 0.50, validationAccuracy: 0.82),
            EpochStats(epoch: 2, trainLoss: 0.4, trainAccuracy: 0.85, validationLoss: 0.55, validationAccuracy: 0.82),
            EpochStats(epoch: 3, trainLoss: 0.3, trainAccuracy: 0.86, validationLoss: 0.60, validationAccuracy: 0.82)
        ]
        let matrix = EnsembleMetrics.confusionMatrix(Voting.hard(predictions).predictions, labels: labels, classes: 3)
        return ReportBuilder(
            title: "Run <1> & co", comparison: comparison, histories: ["m0": overfit, "m1": overfit],
            classNames: ["cat", "<&>", "dog"], confusionMatrix: matrix,
            sizeCurve: EnsembleMetrics.ensembleSizeCurve(predictions, labels: labels), modelGraphSVG: graph,
            provenance: Provenance(createdAt: "2026-01-01T00:00:00Z", command: "quorum local --members 3", runID: "r1"))
    }

    func testPageHasEverySectionAndParses() throws {
        let graph = """
            <?xml version="1.0" encoding="UTF-8" standalone="no"?>
            <!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
            <svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><g id="graph0"><text>conv3x3(32)</text></g></svg>
            """
        let html = try report(graph: graph).build()
        for id in [
            "overview", "summary", "learning-curves", "members-vs-vote", "confusion-matrix", "ensemble-size",
            "model-graph"
        ] {
            XCTAssertTrue(html.contains("<section id=\"\(id)\">"), "missing section \(id)")
        }
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
        XCTAssertFalse(html.contains("<?xml"), "the graph's XML declaration is stripped")
        XCTAssertTrue(html.contains("conv3x3(32)"))
        // Self-contained: no scripts and nothing fetched from elsewhere.
        for outside in ["<script", "src=", "href=", "<link"] {
            XCTAssertFalse(html.contains(outside), "page uses \(outside)")
        }
        let xml = XMLCheck.parse(html)
        XCTAssertEqual(
            xml.elements.filter { $0 == "svg" }.count, 2 + 1 + 2 + 1 + 1,
            "loss and accuracy of all members, members vs votes, two confusion matrices, size curve, graph")
    }

    func testTextIsEscaped() throws {
        let html = try report().build()
        XCTAssertFalse(html.contains("<&>"))
        XCTAssertFalse(html.contains("Run <1>"))
        XCTAssertTrue(html.contains("Run &lt;1&gt; &amp; co"))
        XCTAssertTrue(html.contains("&lt;&amp;&gt;"), "class name escaped in the heat map")
        XCTAssertFalse(html.contains("model-graph"), "no graph section without a graph")
    }

    func testDiagnosisAndRuleAreShownNextToMembers() throws {
        let html = try report().build()
        XCTAssertTrue(html.contains(XMLText.escape(FittingDiagnosis.ruleText)))
        XCTAssertTrue(html.contains("<tr><td>m0</td><td><span class=\"fit fit-overfitting\""))
        XCTAssertTrue(html.contains("validation loss rose in epochs 2 and 3 while training loss fell"))
        XCTAssertEqual(
            html.components(separatedBy: ">overfitting</span>").count - 1, 4,
            "summary row and fit table row, two members")
    }

    func testMissingDataIsSaidNotHidden() throws {
        var builder = try report()
        builder.histories = [:]
        builder.confusionMatrix = nil
        builder.sizeCurve = []
        let html = builder.build()
        XCTAssertTrue(html.contains("No training histories were recorded."))
        XCTAssertTrue(html.contains("No confusion matrix was computed."))
        XCTAssertTrue(html.contains("No ensemble-size curve was computed."))
        _ = XMLCheck.parse(html)
    }

    func testWriteCreatesTheFile() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "quorum-report-\(UUID().uuidString).html")
        defer { try? FileManager.default.removeItem(at: url) }
        let builder = try report()
        try builder.write(to: url)
        XCTAssertEqual(try String(contentsOf: url, encoding: .utf8), builder.build())
    }
}
