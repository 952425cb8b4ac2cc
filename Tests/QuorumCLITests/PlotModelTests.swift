import Foundation
import XCTest

/// `quorum plot-model`: shapes in and out of every layer, thin boxes for shape-keeping layers without
/// parameters, and a PNG whose resolution `--dpi` sets.
final class PlotModelTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("plot-model-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func testSVGShowsInputAndOutputShapesAndThinActivationBoxes() throws {
        let svg = dir.appendingPathComponent("cnn-a.svg").path
        let out = try CLIRunner.run(["plot-model", "--model", "cnn-a", "--out", svg], in: dir)
        XCTAssertEqual(out.status, 0, out.stderr)
        let text = try String(contentsOfFile: svg, encoding: .utf8)
        XCTAssertTrue(text.contains("input (28, 28, 1)</text>"), "the first convolution's input")
        XCTAssertTrue(text.contains("output (28, 28, 32)</text>"))
        XCTAssertTrue(text.contains("input (7, 7, 64)</text>"), "flatten's input")
        // relu ×3 and dropout keep their shape and learn nothing: drawn 24 high, not 58.
        XCTAssertEqual(text.components(separatedBy: "height=\"24\"").count - 1, 4)
        XCTAssertEqual(text.components(separatedBy: "height=\"58\"").count - 1, 8)
        XCTAssertTrue(text.contains("role=\"img\" aria-label=\"Model graph of cnn-a: 421,642 parameters\""))
    }

    func testDPISetsThePNGResolutionAndIsChecked() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/dot") else {
            throw XCTSkip("Graphviz's dot is not installed")
        }
        func width(_ dpi: Int) throws -> Int {
            let png = dir.appendingPathComponent("mlp-\(dpi).png").path
            let out = try CLIRunner.run(["plot-model", "--model", "mlp", "--out", png, "--dpi", "\(dpi)"], in: dir)
            XCTAssertEqual(out.status, 0, out.stderr)
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: png)).prefix(24))
            XCTAssertEqual(Array(bytes.prefix(4)), [0x89, 0x50, 0x4E, 0x47])
            return bytes[16..<20].reduce(0) { $0 << 8 | Int($1) }  // IHDR width, big-endian
        }
        let low = try width(72), high = try width(144)
        XCTAssertEqual(Double(high) / Double(low), 2, accuracy: 0.05, "\(low) px at 72 dpi, \(high) px at 144 dpi")
        let bad = try CLIRunner.run(
            ["plot-model", "--model", "mlp", "--out", dir.appendingPathComponent("x.png").path, "--dpi", "5"], in: dir)
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("--dpi must be between 36 and 600, got 5"), bad.stderr)
    }
}
