import XCTest
@testable import QuorumEnsemble
import QuorumCore

final class ModelGraphTests: XCTestCase {
    private func cnnA() throws -> ModelGraph {
        ModelGraph(
            model: try Sequential(spec: ModelSpec(parsing: "cnn-a", inputShape: [28, 28, 1], classes: 10), seed: 0))
    }

    func testNodesCarryShapesAndParameterCountsOfTheReferenceNet() throws {
        let graph = try cnnA()
        XCTAssertEqual(graph.parameterCount, 421_642)
        XCTAssertEqual(
            graph.nodes.map(\.label),
            [
                "input", "conv3x3(32)", "relu", "maxpool2", "conv3x3(64)", "relu", "maxpool2",
                "flatten", "dense(128)", "relu", "dropout(0.25)", "dense(10)"
            ])
        XCTAssertEqual(graph.nodes[1].outputShape, [28, 28, 32])
        XCTAssertEqual(graph.nodes[1].parameters, 320)
        XCTAssertEqual(graph.nodes[7].outputShape, [3136])
        XCTAssertEqual(graph.nodes[8].parameters, 401_536)
    }

    func testSVGIsWellFormedWithOneBoxPerLayer() throws {
        let svg = try cnnA().svg()
        let check = XMLCheck.parse(svg)
        XCTAssertEqual(check.elements.first, "svg")
        XCTAssertEqual(check.elements.filter { $0 == "g" }.count, 12, "input plus eleven layers")
        XCTAssertTrue(check.text.contains("421,642 parameters"))
        XCTAssertTrue(check.text.contains("output (14, 14, 64)"))
        XCTAssertTrue(check.text.contains("input (14, 14, 32)"), "the second convolution's input")
        XCTAssertTrue(check.text.contains("401,536 params"))
        XCTAssertEqual(svg, try cnnA().svg(), "the drawing is deterministic")
        XCTAssertTrue(
            check.text.contains("conv3x3(64): (14, 14, 32) to (14, 14, 64), 18,496 parameters."),
            "the description reads every box out")
    }

    func testDOTListsEveryNodeAndEdge() throws {
        let dot = try cnnA().dot()
        XCTAssertTrue(dot.hasPrefix("digraph model {"))
        XCTAssertTrue(dot.contains("n10 -> n11;"))
        XCTAssertFalse(dot.contains("n11 -> "))
        XCTAssertTrue(dot.contains("output (28, 28, 32)"), dot)
        XCTAssertTrue(dot.contains("dense(128)"))
    }

    func testReportEmbedsTheGraphAsWellFormedMarkup() throws {
        let (members, labels) = try randomMembers(count: 2, samples: 20, classes: 3, seed: 1)
        let manifestMembers = members.map {
            ManifestMember(name: $0.name, file: "\($0.name).safetensors", seed: 0, augmentation: "none")
        }
        let comparison = try EnsembleComparison.evaluate(members: manifestMembers, predictions: members, labels: labels)
        let html = ReportBuilder(
            title: "t", comparison: comparison, classNames: ["a", "b", "c"],
            modelGraphSVG: try cnnA().svg()
        ).build()
        XCTAssertTrue(html.contains("<section id=\"model-graph\">"))
        let start = try XCTUnwrap(html.range(of: "<div class=\"graph\">"))
        let end = try XCTUnwrap(html.range(of: "</div>", range: start.upperBound..<html.endIndex))
        let check = XMLCheck.parse(String(html[start.upperBound..<end.lowerBound]))
        XCTAssertTrue(check.text.contains("dense(10)"))
    }
}
