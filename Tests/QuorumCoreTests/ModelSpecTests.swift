import XCTest
@testable import QuorumCore

final class ModelSpecTests: XCTestCase {
    func testPresetCNNAMatchesTheReferenceNet() throws {
        let spec = try ModelSpec(parsing: "cnn-a", inputShape: [28, 28, 1], classes: 10)
        XCTAssertEqual(spec.name, "cnn-a")
        XCTAssertEqual(
            spec.layers,
            "conv3x3(32) relu maxpool2 conv3x3(64) relu maxpool2 flatten dense(128) relu dropout(0.25) dense(10)")
        XCTAssertEqual(
            try spec.outputShapesPerLayer(),
            [
                [28, 28, 32], [28, 28, 32], [14, 14, 32], [14, 14, 64], [14, 14, 64], [7, 7, 64], [3136], [128], [128],
                [128], [10]
            ])
        let net = try Sequential(spec: spec, seed: 1)
        XCTAssertEqual(net.parameterCount, 421_642)
        // 8.48 MFLOP per image forward in the reference figures (multiply-adds of conv and dense layers).
        XCTAssertEqual(Double(net.forwardFLOPs) / 1e6, 8.48, accuracy: 0.1)
    }

    func testPresetCNNBAddsBatchNormBeforeEachReLU() throws {
        let spec = try ModelSpec(parsing: "cnn-b", inputShape: [28, 28, 1], classes: 10)
        XCTAssertEqual(
            spec.layers,
            "conv3x3(32) batchnorm relu maxpool2 conv3x3(64) batchnorm relu maxpool2 flatten dense(128) relu dropout(0.25) dense(10)"
        )
        let net = try Sequential(spec: spec, seed: 1)
        XCTAssertEqual(net.parameterCount, 421_642 + 2 * 32 + 2 * 64)
        XCTAssertEqual(
            net.buffers.map(\.name),
            ["layers.1.running_mean", "layers.1.running_var", "layers.5.running_mean", "layers.5.running_var"])
    }

    func testMLPPresetAndClassCount() throws {
        let spec = try ModelSpec(parsing: "mlp", inputShape: [32, 32, 3], classes: 5)
        XCTAssertEqual(spec.layers, "flatten dense(256) relu dense(128) relu dense(5)")
        XCTAssertEqual(
            try Sequential(spec: spec, seed: 0).parameterCount, 3072 * 256 + 256 + 256 * 128 + 128 + 128 * 5 + 5)
    }

    func testCustomTextWithArgumentsIsCanonicalised() throws {
        let spec = try ModelSpec(
            parsing: "conv5x5(8, stride=2, pad=0)  ELU(0.5) maxpool2(stride=1) gap dense(3)",
            inputShape: [13, 13, 2], classes: 3)
        XCTAssertEqual(spec.name, "custom")
        XCTAssertEqual(spec.layers, "conv5x5(8,stride=2,pad=0) elu(0.5) maxpool2(stride=1) gap dense(3)")
        XCTAssertEqual(try spec.outputShapesPerLayer(), [[5, 5, 8], [5, 5, 8], [4, 4, 8], [8], [3]])
        // The canonical text parses to the same spec.
        XCTAssertEqual(try ModelSpec(parsing: spec.layers, inputShape: [13, 13, 2], classes: 3), spec)
    }

    func testErrorsNameTheProblem() {
        func message(_ text: String, classes: Int = 10) -> String {
            do { _ = try ModelSpec(parsing: text, inputShape: [28, 28, 1], classes: classes); return "" } catch {
                return "\(error)"
            }
        }
        XCTAssertTrue(message("").contains("empty"))
        XCTAssertTrue(message("conv3x3(32) wobble dense(10)").contains("unknown layer 'wobble'"))
        XCTAssertTrue(message("conv3x3(0) flatten dense(10)").contains("number of filters"))
        XCTAssertTrue(message("dense(10)").contains("put flatten or gap before it"))
        XCTAssertTrue(
            message("flatten dense(7)").contains("ends with dense(10)")
                || message("flatten dense(7)").contains("end with dense(10)"))
        XCTAssertTrue(message("flatten maxpool2 dense(10)").contains("needs an image"))
        XCTAssertTrue(message("maxpool64 flatten dense(10)").contains("larger than the image"))
        XCTAssertTrue(message("dropout(1.5) flatten dense(10)").contains("rate"))
        XCTAssertTrue(message("conv3x3(8 flatten dense(10)").contains("unknown layer"))
    }

    func testSameSeedSameWeightsOtherSeedOtherWeights() throws {
        let spec = try ModelSpec(parsing: "cnn-a", inputShape: [28, 28, 1], classes: 10)
        let a = try Sequential(spec: spec, seed: 3), b = try Sequential(spec: spec, seed: 3),
            c = try Sequential(spec: spec, seed: 4)
        XCTAssertEqual(a.parameters.map(\.value.array), b.parameters.map(\.value.array))
        XCTAssertNotEqual(a.parameters[0].value.array, c.parameters[0].value.array)
        XCTAssertEqual(
            a.parameters.map(\.name),
            [
                "layers.0.weight", "layers.0.bias", "layers.3.weight", "layers.3.bias",
                "layers.7.weight", "layers.7.bias", "layers.10.weight", "layers.10.bias"
            ])
    }

    func testSummaryListsLayersShapesAndTotals() throws {
        let net = try Sequential(spec: ModelSpec(parsing: "cnn-a", inputShape: [28, 28, 1], classes: 10), seed: 0)
        let text = net.summary()
        XCTAssertTrue(text.contains("conv3x3(64)"))
        XCTAssertTrue(text.contains("(7, 7, 64)"))
        XCTAssertTrue(text.contains("401,536") || text.contains("401536"), text)
        XCTAssertTrue(text.contains("total parameters: 421,642") || text.contains("total parameters: 421642"), text)
    }
}
