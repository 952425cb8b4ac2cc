import Foundation
import XCTest
@testable import QuorumCore

/// Specs that would allocate too much, or whose sizes overflow, are refused before anything is built.
final class ModelLimitsTests: XCTestCase {
    private func parseError(_ text: String, inputShape: [Int] = [28, 28, 1], classes: Int = 10) -> String {
        do {
            _ = try ModelSpec(parsing: text, inputShape: inputShape, classes: classes)
            return "accepted"
        } catch { return "\(error)" }
    }

    /// A spec as JSON, the way it travels in model files and jobs.
    private func decodeError(layers: String, inputShape: [Int] = [28, 28, 1], classes: Int = 10) -> String {
        let json: [String: Any] = ["name": "custom", "layers": layers, "inputShape": inputShape, "classes": classes]
        do {
            let data = try JSONSerialization.data(withJSONObject: json)
            _ = try JSONDecoder().decode(ModelSpec.self, from: data)
            return "accepted"
        } catch { return "\(error)" }
    }

    private func assertRefused(
        _ message: String, mentions parts: [String], file: StaticString = #filePath,
        line: UInt = #line
    ) {
        XCTAssertNotEqual(message, "accepted", file: file, line: line)
        for part in parts {
            XCTAssertTrue(message.contains(part), "'\(message)' should mention '\(part)'", file: file, line: line)
        }
    }

    func testHugeLayerWidthsAreRefusedAtParse() {
        assertRefused(
            parseError("flatten dense(1000000000)"),
            mentions: ["number of units", "1000000000", "limit of \(ModelLimits.layerWidth)"])
        assertRefused(parseError("conv3x3(1000000000) gap dense(10)"), mentions: ["number of filters", "limit"])
        // An integer too large for Int is not a number of units at all.
        assertRefused(parseError("flatten dense(99999999999999999999999)"), mentions: ["number of units"])
    }

    func testHugeClassCountIsRefusedBeforeThePresetIsBuilt() {
        assertRefused(parseError("mlp", classes: 1_000_000_000), mentions: ["number of classes", "1000000000"])
        assertRefused(parseError("flatten dense(10)", classes: 0), mentions: ["number of classes"])
        assertRefused(
            decodeError(layers: "flatten dense(1000000000)", classes: 1_000_000_000),
            mentions: ["number of classes"])
    }

    func testInputShapesThatOverflowOrExceedTheLimitsAreRefused() {
        assertRefused(parseError("flatten dense(10)", inputShape: [1 << 62, 1, 1]), mentions: ["input shape", "height"])
        assertRefused(
            decodeError(layers: "flatten dense(10)", inputShape: [1 << 62, 1, 1]),
            mentions: ["input shape", "height"])
        // Each side within its limit, the product over the element limit.
        assertRefused(parseError("gap dense(10)", inputShape: [8192, 8192, 4096]), mentions: ["values per sample"])
        assertRefused(parseError("flatten dense(10)", inputShape: [28, 28]), mentions: ["[H, W, C]"])
        assertRefused(decodeError(layers: "flatten dense(10)", inputShape: [28, -1, 1]), mentions: ["width -1"])
    }

    func testKernelThatWouldWrapTheWeightCountIsRefused() {
        // 4 × 1 × 2^31 × 2^31 wraps to 0 elements in unchecked arithmetic.
        let wrapping = "conv2147483648x2147483648(4) gap dense(10)"
        assertRefused(parseError(wrapping), mentions: ["kernel size", "limit"])
        assertRefused(decodeError(layers: wrapping), mentions: ["kernel size"])
        assertRefused(parseError("maxpool2(stride=99999) gap dense(10)"), mentions: ["stride"])
        assertRefused(parseError("conv3x3(8,pad=4611686018427387904) gap dense(10)"), mentions: ["padding"])
    }

    func testParameterAndActivationTotalsAreBounded() {
        // Every width is legal; the dense weights together are 3.6 billion values.
        assertRefused(
            parseError("flatten dense(60000) relu dense(60000) relu dense(10)"),
            mentions: ["number of parameters", "dense(60000)", "limit of \(ModelLimits.parameters)"])
        // 4096 × 4096 × 65536 output values for one sample.
        assertRefused(
            parseError("conv3x3(65536) gap dense(10)", inputShape: [4096, 4096, 1]),
            mentions: ["output size of 'conv3x3(65536)'"])
    }

    func testDecodingChecksShapesAndTextLikeParsing() {
        assertRefused(decodeError(layers: "flatten dense(7)"), mentions: ["end with dense(10)"])
        assertRefused(decodeError(layers: "flatten wobble dense(10)"), mentions: ["unknown layer 'wobble'"])
        assertRefused(decodeError(layers: ""), mentions: ["empty"])
        let many = Array(repeating: "relu", count: ModelLimits.layers) + ["flatten", "dense(10)"]
        assertRefused(decodeError(layers: many.joined(separator: " ")), mentions: ["number of layers"])
    }

    func testValidSpecsStillRoundTripThroughJSON() throws {
        for preset in ModelSpec.presetNames {
            let spec = try ModelSpec(parsing: preset, inputShape: [32, 32, 3], classes: 100)
            XCTAssertEqual(try JSONDecoder().decode(ModelSpec.self, from: JSONEncoder().encode(spec)), spec)
        }
        // The largest legal sizes of each kind are accepted.
        XCTAssertEqual(
            parseError(
                "gap dense(\(ModelLimits.classes))", inputShape: [ModelLimits.imageSide, 2, 1],
                classes: ModelLimits.classes), "accepted")
        XCTAssertEqual(
            parseError("gap dense(2)", inputShape: [2, 2, ModelLimits.inputChannels], classes: 2),
            "accepted")
    }

    func testCheckedProductReportsOverflow() {
        XCTAssertEqual(ModelLimits.product([4, 1, 1 << 31, 1 << 31]), nil)
        XCTAssertEqual(ModelLimits.product([0xFFFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFFF]), nil)
        XCTAssertEqual(ModelLimits.product([3, -1]), nil)
        XCTAssertEqual(ModelLimits.product([7, 11, 13]), 1001)
        XCTAssertEqual(ModelLimits.sum([Int.max, 1]), nil)
    }
}
