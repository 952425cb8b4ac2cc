import Foundation
import QuorumData
import XCTest

@testable import QuorumEnsemble

/// The report's page as its HTML says it is: what a reader and a screen reader need, checked without a browser.
final class ReportPageTests: XCTestCase {
    private var builder: ReportBuilder!
    private var html = ""

    override func setUpWithError() throws {
        builder = try ReportFixture.builder()
        html = builder.build()
    }

    /// The `<svg …>` opening tags of the page, one per chart.
    private var svgTags: [String] {
        html.components(separatedBy: "<svg ").dropFirst().map { String($0.prefix { $0 != ">" }) }
    }

    func testPageIsSetUpForPhonesAndHasAMainLandmark() {
        XCTAssertTrue(html.contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>"))
        XCTAssertEqual(html.components(separatedBy: "<main>").count - 1, 1)
        XCTAssertTrue(html.contains("</main>\n</body>"))
        XCTAssertTrue(html.contains("svg { display: block; max-width: 100%; height: auto; }"), "charts shrink to fit")
        XCTAssertTrue(html.contains("td.long { overflow-wrap: anywhere;"), "long augmentation strings wrap")
        XCTAssertTrue(html.contains("<td class=\"long\">\(ReportFixture.augmentation)</td>"))
        _ = XMLCheck.parse(html)
    }

    func testEveryChartHasANameAndATableUnderIt() {
        XCTAssertEqual(svgTags.count, 9)
        for tag in svgTags {
            XCTAssertTrue(tag.contains("role=\"img\""), tag)
            XCTAssertTrue(tag.range(of: #"aria-label="[^"]+""#, options: .regularExpression) != nil, tag)
        }
        // Every chart but the model graph (which lists its layers itself) has its figures folded under it.
        XCTAssertEqual(html.components(separatedBy: "<details class=\"data\">").count - 1, 8)
        XCTAssertTrue(html.contains("<summary>Table: Loss</summary>"))
    }

    func testPaletteHasThreeToOneContrastAgainstWhite() {
        func luminance(_ hex: String) -> Double {
            let v = Int(hex.dropFirst(), radix: 16)!
            let channels = [(v >> 16) & 255, (v >> 8) & 255, v & 255].map { c -> Double in
                let s = Double(c) / 255
                return s <= 0.03928 ? s / 12.92 : pow((s + 0.055) / 1.055, 2.4)
            }
            return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]
        }
        for colour in SVGChart.palette {
            XCTAssertGreaterThanOrEqual(1.05 / (luminance(colour) + 0.05), 3, colour)
        }
    }

    func testOverviewListsSettingsTimingAndConclusionsFromTheFigures() throws {
        let overview = try XCTUnwrap(section("overview"))
        for text in [
            "<dt>optimizer</dt><dd>adamw, weight decay 0.05</dd>", "<dt>learning rate</dt><dd>0.001</dd>",
            "<dt>batch size</dt><dd>128</dd>", "<dt>schedule</dt><dd>cosine, 1.0 warm-up epochs</dd>",
            "<dt>wall time</dt><dd>20 min 34 s</dd>", "<dt>time per member</dt>"
        ] {
            XCTAssertTrue(overview.contains(text), text)
        }
        let c = builder.comparison
        let soft = try XCTUnwrap(c.vote(.soft))
        XCTAssertTrue(
            overview.contains("The soft vote, the ensemble&#39;s answer, scores \(Format.percent(soft.accuracy))"))
        XCTAssertTrue(overview.contains("\(Format.points(soft.gainOverMean)) over the mean member"))
        XCTAssertTrue(overview.contains("Some member is right on \(Format.percent(c.oracleAccuracy))"))
        XCTAssertTrue(overview.contains("returns diminish"), "ten random members add less and less")
        XCTAssertTrue(overview.contains("10 of 10 members&#39; validation accuracy still rose in the last epoch"))
    }

    func testLearningCurvesShareAxesStartAtEpochOneAndCarryHoverValues() throws {
        let curves = try XCTUnwrap(section("learning-curves"))
        let loss = try XCTUnwrap(curves.components(separatedBy: "<svg ").dropFirst().first)
        XCTAssertEqual(loss.components(separatedBy: "<polyline").count - 1, 20, "ten members, training and validation")
        let firstTick = try XCTUnwrap(
            loss.range(of: #"text-anchor="middle" stroke="none">[0-9]+<"#, options: .regularExpression))
        XCTAssertTrue(loss[firstTick].hasSuffix(">1<"), "the epoch axis starts at 1: \(loss[firstTick])")
        let first = try XCTUnwrap(builder.histories["member-1"]?.first)
        XCTAssertTrue(
            loss.contains("<title>member-1 validation, epoch 1: \(Format.fixed(first.validationLoss!, 4))</title>"))
        XCTAssertTrue(curves.contains("Learning rate at the end of each epoch"))
        XCTAssertTrue(curves.contains("Time per epoch"))
        XCTAssertTrue(curves.contains("on augmented images with dropout active"))
        XCTAssertFalse(html.contains("title=\"\""), "no badge has an empty tooltip")
    }

    func testGoodFitBadgeExplainsItself() throws {
        let history = (1...4).map {
            EpochStats(
                epoch: $0, trainLoss: 0.5, trainAccuracy: 0.9, validationLoss: 0.5, validationAccuracy: 0.9)
        }
        builder.histories = ["member-1": history]
        let badge = builder.badge(FittingDiagnosis.diagnose(history))
        XCTAssertTrue(badge.contains(">good fit</span>"))
        XCTAssertTrue(badge.contains("title=\"validation loss never rose"), badge)
    }

    func testMembersAndVotesAreDotsWithReferenceLinesAndTwoDecimals() throws {
        let part = try XCTUnwrap(section("members-vs-vote"))
        let c = builder.comparison
        XCTAssertEqual(part.components(separatedBy: "<circle").count - 1, c.members.count + c.votes.count)
        XCTAssertFalse(part.contains("class=\"bar\""), "no bars")
        XCTAssertTrue(part.contains("<title>mean member: \(Format.fixed(c.meanAccuracy * 100, 2))</title>"))
        XCTAssertTrue(part.contains("<title>oracle: \(Format.fixed(c.oracleAccuracy * 100, 2))</title>"))
        let soft = try XCTUnwrap(c.vote(.soft))
        XCTAssertTrue(part.contains("<title>soft vote (answer): \(Format.fixed(soft.accuracy * 100, 2))</title>"))
    }

    func testConfusionMatrixIsTheAnswerVotesWithRecallAndATakeaway() throws {
        let part = try XCTUnwrap(section("confusion-matrix"))
        XCTAssertEqual(builder.confusionRule, builder.comparison.answerRule)
        XCTAssertTrue(part.contains("Confusion matrix of the soft vote (the answer)"))
        XCTAssertTrue(part.contains("Recall view: share of each true class"))
        let matrix = try XCTUnwrap(builder.confusionMatrix)
        let recalls = matrix.enumerated().map { ReportBuilder.recall($0.element, $0.offset) }
        let weakest = recalls.indices.min { recalls[$0] < recalls[$1] }!
        let name = XMLText.escape(ReportFixture.classNames[weakest])
        XCTAssertTrue(
            part.contains("<strong>\(name) is the weakest class: \(Format.fixed(recalls[weakest] * 100, 1)) % recall"),
            part.prefix(600).description)
        for (r, recall) in recalls.enumerated() {
            XCTAssertTrue(part.contains(">\(Format.fixed(recall * 100, 1)) %</text>"), "recall of class \(r)")
        }
        // Colour-bar ticks are round values an even step apart.
        let ticks = part.components(separatedBy: "font-size=\"11\">").dropFirst().compactMap {
            Int($0.prefix { $0 != "<" })
        }
        XCTAssertGreaterThanOrEqual(ticks.count, 3)
        let steps = Set(zip(ticks.dropFirst(), ticks).map { $0 - $1 })
        XCTAssertEqual(steps.count, 2, "one step for counts, one for percentages: \(ticks)")
    }

    func testWeakestClassSentence() {
        let names = ["T-shirt", "Shirt", "Coat"]
        let matrix = [[90, 10, 0], [20, 74, 6], [0, 1, 99]]
        XCTAssertEqual(
            ReportBuilder.weakestClass(matrix, names: names),
            "Shirt is the weakest class: 74.0 % recall, mostly confused with T-shirt (20) and Coat (6).")
        XCTAssertEqual(
            ReportBuilder.weakestClass([[5, 0], [0, 5]], names: ["a", "b"]),
            "Every class is recognised without a single confusion.")
    }

    func testSizeCurveShowsSpreadAndAConclusion() throws {
        let part = try XCTUnwrap(section("ensemble-size"))
        XCTAssertEqual(part.components(separatedBy: "<polygon").count - 1, 2, "a band for each vote")
        let two = try XCTUnwrap(builder.sizeCurve.first { $0.size == 2 })
        let range = try XCTUnwrap(two.softRange)
        XCTAssertLessThan(range.lowerBound, range.upperBound, "subsets of two differ")
        XCTAssertTrue(range.contains(two.softAccuracy))
        XCTAssertTrue(part.contains("Which members vote matters most at"))
        XCTAssertTrue(part.contains("returns diminish"))
    }

    func testSizeSentenceTellsRisingFromLevelling() {
        func point(_ size: Int, _ soft: Double) -> EnsembleSizePoint {
            EnsembleSizePoint(size: size, hardAccuracy: soft, softAccuracy: soft, subsets: 1, exact: true)
        }
        let levelling = [point(1, 0.90), point(2, 0.92), point(3, 0.925)]
        XCTAssertTrue(ReportConclusions.sizeSentence(levelling, rule: .soft)!.contains("returns diminish"))
        let rising = [point(1, 0.90), point(2, 0.91), point(3, 0.92)]
        XCTAssertTrue(ReportConclusions.sizeSentence(rising, rule: .soft)!.contains("still rising"))
        XCTAssertNil(ReportConclusions.sizeSentence([point(1, 0.9)], rule: .soft))
    }

    /// The text of the section with `id`, up to the next section.
    private func section(_ id: String) -> String? {
        guard let start = html.range(of: "<section id=\"\(id)\">") else { return nil }
        let end = html.range(of: "</section>", range: start.upperBound..<html.endIndex)?.lowerBound ?? html.endIndex
        return String(html[start.lowerBound..<end])
    }
}
