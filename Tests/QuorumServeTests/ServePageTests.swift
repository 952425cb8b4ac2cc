import Foundation
import QuorumCore
import QuorumEnsemble
import QuorumServe
import QuorumTestSupport
import XCTest

/// The page in headless Chromium: loaded with `?example=N`, it votes test image N through `/v1/vote` and shows
/// the answer, the bars and the members, which the test reads from the DOM.
final class ServePageTests: XCTestCase {
    func testThePageVotesATestImageAndShowsTheAnswer() async throws {
        guard let chromium = HeadlessChromium(timeout: 120) else {
            throw XCTSkip("no chromium on PATH (scripts/setup.sh installs it)")
        }
        let batch = try ServeFixture.testBatch()
        let server = try await LiveServer(ServeSettings(examples: ServeExamples(batch: batch)))
        defer { Task { await server.stop() } }
        let predictor = try EnsemblePredictor(directory: try ServeFixture.ensemble)
        let expected = Voting.vote(predictor.predict(batch.images, threads: 2), rule: .soft)
        let names = predictor.manifest.classNames
        for i in [0, 7] {
            let url = try XCTUnwrap(URL(string: "http://127.0.0.1:\(server.port)/?example=\(i)"))
            let dom = try await Task.detached { try chromium.dumpDOM(of: url, width: 1000, budget: 10000) }.value
            let winner = Int(expected.predictions[i])
            XCTAssertTrue(
                dom.contains(#"id="answer" data-class="\#(winner)">\#(names[winner])</p>"#),
                "example \(i): expected class \(winner) in the DOM:\n\(dom.prefix(3000))")
            XCTAssertEqual(dom.components(separatedBy: #"class="bar"#).count - 1, names.count, "one bar per class")
            for member in ["member-1", "member-2", "member-3"] {
                XCTAssertTrue(dom.contains("<td>\(member)</td>"), "member \(member) listed")
            }
            XCTAssertTrue(dom.contains(#"<p id="error" role="alert"></p>"#), "no error shown")
        }
    }
}
