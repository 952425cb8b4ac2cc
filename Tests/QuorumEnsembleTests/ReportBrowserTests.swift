import Foundation
import QuorumTestSupport
import XCTest

@testable import QuorumEnsemble

/// The report as a browser shows it: headless Chromium loads the page at desktop and phone width and the page
/// must not scroll sideways, every chart must have an accessible name, and no console error may appear.
/// Skips when no Chromium is installed. With `QUORUM_REPORT_SCREENSHOTS` set to a folder, the tests also
/// save what the browser drew there, for a person to look at.
final class ReportBrowserTests: XCTestCase {
    private var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("report-browser-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    private func browser() throws -> HeadlessChromium {
        guard let chromium = HeadlessChromium(timeout: 90) else {
            throw XCTSkip("no chromium or chromium-browser on PATH")
        }
        return chromium
    }

    private func check(width: Int) throws {
        let chromium = try browser()
        let html = try ReportFixture.builder().build()
        let findings = try chromium.probe(html: html, width: width, height: 900, folder: folder)
        XCTAssertEqual(findings.innerWidth, width, "the frame is the viewport under test")
        XCTAssertLessThanOrEqual(
            findings.scrollWidth, findings.innerWidth, "the page scrolls sideways at \(width) px")
        XCTAssertEqual(findings.consoleErrors, [], "console errors at \(width) px")
        XCTAssertEqual(findings.unnamedGraphics, [], "charts without an accessible name")
        // Loss, accuracy, learning rate, epoch time, members vs votes, two confusion matrices, size curve, graph.
        XCTAssertEqual(findings.graphics, 9, "every chart was found")
        if let shots = ProcessInfo.processInfo.environment["QUORUM_REPORT_SCREENSHOTS"] {
            let png = URL(fileURLWithPath: shots).appendingPathComponent("report-\(width).png")
            try chromium.screenshot(html: html, width: width, height: 6000, to: png)
        }
    }

    func testDesktopWidthHasNoOverflowNamedChartsAndNoConsoleErrors() throws { try check(width: 1400) }

    func testPhoneWidthHasNoOverflowNamedChartsAndNoConsoleErrors() throws { try check(width: 400) }

    /// The probe itself must fail on what it is there to catch, or the tests above prove nothing.
    func testProbeSeesOverflowUnnamedChartsAndErrors() throws {
        let chromium = try browser()
        let bad = """
            <!DOCTYPE html><html><head><title>bad</title></head><body>
            <div style="width:900px">wide</div><svg viewBox="0 0 10 10"><rect width="5" height="5"/></svg>
            <svg role="img" aria-label="named"></svg><script>console.error("broken"); missing();</script>
            </body></html>
            """
        let findings = try chromium.probe(html: bad, width: 400, folder: folder)
        XCTAssertGreaterThan(findings.scrollWidth, findings.innerWidth)
        XCTAssertEqual(findings.graphics, 2)
        XCTAssertEqual(findings.unnamedGraphics.count, 1)
        XCTAssertEqual(findings.consoleErrors.count, 2, "\(findings.consoleErrors)")
    }
}
