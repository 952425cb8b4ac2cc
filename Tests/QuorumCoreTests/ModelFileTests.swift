import XCTest
@testable import QuorumCore

final class ModelFileTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("quorum-modelfile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    private func metadata(_ spec: ModelSpec) -> ModelMetadata {
        ModelMetadata(
            spec: spec, normalizationMean: [0.286], normalizationStd: [0.353],
            classNames: (0..<spec.classes).map { "class \($0)" }, training: "{\"seed\":3}")
    }

    func testSaveLoadIsBitExactAndDeterministic() throws {
        let spec = try ModelSpec(parsing: "cnn-b", inputShape: [28, 28, 1], classes: 10)
        let model = try Sequential(spec: spec, seed: 11)
        // Make the BatchNorm running statistics differ from their initial values.
        let batchNorm = model.buffers[0]
        for i in 0..<batchNorm.count { batchNorm.value[i] = Float(i) * 0.25 - 1 }
        let path = dir.appendingPathComponent("m.safetensors").path
        try ModelFile.save(model, metadata: metadata(spec), to: path)
        let (loaded, meta) = try ModelFile.load(path: path)
        XCTAssertEqual(meta, metadata(spec))
        XCTAssertEqual(loaded.namedTensors.map(\.name), model.namedTensors.map(\.name))
        for (a, b) in zip(loaded.namedTensors, model.namedTensors) {
            XCTAssertEqual(a.value.array.map(\.bitPattern), b.value.array.map(\.bitPattern), a.name)
        }
        XCTAssertEqual(ModelFile.serialized(loaded, metadata: meta), try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    func testConvolutionWeightsAreStoredOIHWLikePyTorch() throws {
        let spec = try ModelSpec(parsing: "conv3x3(4) relu flatten dense(2)", inputShape: [5, 5, 3], classes: 2)
        let model = try Sequential(spec: spec, seed: 2)
        let file = try SafeTensors.parse(ModelFile.serialized(model, metadata: metadata(spec)), path: "mem")
        let conv = model.layers[0] as! Conv2D
        let stored = try XCTUnwrap(file["layers.0.weight"])
        XCTAssertEqual(stored.shape, [4, 3, 3, 3])
        // Engine layout: row (ky*3 + kx)*Cin + c, column o. File layout: ((o*Cin + c)*3 + ky)*3 + kx.
        for o in 0..<4 {
            for c in 0..<3 {
                for ky in 0..<3 {
                    for kx in 0..<3 {
                        XCTAssertEqual(
                            stored.values[((o * 3 + c) * 3 + ky) * 3 + kx],
                            conv.weight.value[((ky * 3 + kx) * 3 + c) * 4 + o])
                    }
                }
            }
        }
        XCTAssertEqual(file["layers.3.weight"]?.shape, [2, 100])
        XCTAssertEqual(file.metadata["format"], "quorum-model")
    }

    func testBrokenFilesAreRefusedByName() throws {
        let spec = try ModelSpec(parsing: "flatten dense(3)", inputShape: [2, 2, 1], classes: 3)
        let model = try Sequential(spec: spec, seed: 1)
        let good = try SafeTensors.parse(ModelFile.serialized(model, metadata: metadata(spec)), path: "mem")
        func error(_ edit: (inout SafeTensors) -> Void) -> String {
            var file = good
            edit(&file)
            do { _ = try ModelFile.load(data: file.serialized(), path: "x.safetensors"); return "" } catch {
                return "\(error)"
            }
        }
        XCTAssertTrue(error { $0.entries.removeLast() }.contains("tensor 'layers.1.bias' is missing"))
        XCTAssertTrue(
            error {
                $0.entries[0] = .init(name: "layers.1.weight", shape: [4, 3], values: Array(repeating: 0, count: 12))
            }
            .contains("has shape [4, 3], the model needs [3, 4]"))
        XCTAssertTrue(
            error { $0.entries.append(.init(name: "extra", shape: [1], values: [0])) }.contains(
                "'extra' belongs to no layer"))
        XCTAssertTrue(error { $0.metadata["quorum.version"] = "9" }.contains("version 9 is not supported"))
        XCTAssertTrue(error { $0.metadata.removeValue(forKey: "quorum.spec") }.contains("'quorum.spec' is missing"))
        XCTAssertTrue(error { $0.metadata["quorum.class_names"] = "[\"a\"]" }.contains("1 names for 3 classes"))
        XCTAssertTrue(
            error {
                $0.metadata["quorum.spec"] =
                    "{\"name\":\"custom\",\"layers\":\"wobble\",\"inputShape\":[2,2,1],\"classes\":3}"
            }
            .contains("unknown layer 'wobble'"))
    }
}
