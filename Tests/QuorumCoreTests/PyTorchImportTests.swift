import XCTest
@testable import QuorumCore

/// The fixture is a cnn-b on 8x12x1 images with three classes, written by scripts/make_pytorch_fixture.py
/// with PyTorch, together with four inputs and the logits PyTorch computed for them.
final class PyTorchImportTests: XCTestCase {
    private let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/pytorch")

    private var weights: String { folder.appendingPathComponent("pytorch_cnn_b.safetensors").path }

    func testImportedNetAnswersAsPyTorchDid() throws {
        let spec = try ModelSpec(parsing: "cnn-b", inputShape: [8, 12, 1], classes: 3)
        let net = try PyTorchImport.load(path: weights, spec: spec)
        let expected = try PyTorchImport.readTensors(
            Data(contentsOf: folder.appendingPathComponent("pytorch_cnn_b_expected.safetensors")),
            path: "expected")
        let inputs = try XCTUnwrap(expected["inputs"]), logits = try XCTUnwrap(expected["logits"])
        XCTAssertEqual(inputs.shape, [4, 1, 8, 12])
        // One channel: NCHW and NHWC hold the same bytes.
        let out = net.forward(Tensor(shape: [4, 8, 12, 1], values: inputs.values), training: false)
        XCTAssertEqual(out.shape, [4, 3])
        XCTAssertGreaterThan(logits.values.map(abs).max() ?? 0, 0.01, "the fixture's logits are not trivial")
        for (a, b) in zip(out.array, logits.values) { XCTAssertEqual(a, b, accuracy: 1e-4) }

        // Saved as a Quorum model file, it loads and answers the same.
        let meta = ModelMetadata(spec: spec, normalizationMean: [0], normalizationStd: [1], classNames: ["a", "b", "c"])
        let (reloaded, _) = try ModelFile.load(data: ModelFile.serialized(net, metadata: meta), path: "imported")
        let again = reloaded.forward(Tensor(shape: [4, 8, 12, 1], values: inputs.values), training: false)
        XCTAssertEqual(again.array, out.array)
    }

    func testAWrongArchitectureIsRefusedWithTheReason() throws {
        let cnnA = try ModelSpec(parsing: "cnn-a", inputShape: [8, 12, 1], classes: 3)
        XCTAssertThrowsError(try PyTorchImport.load(path: weights, spec: cnnA)) {
            XCTAssertTrue("\($0)".contains("6 modules hold tensors but the model"), "\($0)")
        }
        let wrongInput = try ModelSpec(parsing: "cnn-b", inputShape: [8, 8, 1], classes: 3)
        XCTAssertThrowsError(try PyTorchImport.load(path: weights, spec: wrongInput)) {
            XCTAssertTrue("\($0)".contains("net.9.weight") && "\($0)".contains("[128, 384]"), "\($0)")
        }
    }
}
