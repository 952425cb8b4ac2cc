import XCTest
@testable import QuorumEnsemble
import QuorumData
import QuorumCore

/// Test-time augmentation: what members answer under it, and that ensemble.json records it.
final class TestTimeAugmentationTests: XCTestCase {
    private let names = (0..<5).map { "c\($0)" }
    private let side = 8

    private func predictor(_ tta: TestTimeAugmentation) throws -> EnsemblePredictor {
        let shape = [side, side, 1]
        let spec = try ModelSpec(parsing: "conv3x3(4) relu maxpool2 flatten dense(5)", inputShape: shape, classes: 5)
        let models = try (1...2).map { try Sequential(spec: spec, seed: UInt64($0)) }
        let metas = models.map { _ in
            ModelMetadata(spec: spec, normalizationMean: [0.3], normalizationStd: [0.4], classNames: names)
        }
        let members = (0..<2).map {
            ManifestMember(name: "m\($0)", file: "m\($0).safetensors", seed: UInt64($0), augmentation: "none")
        }
        let manifest = EnsembleManifest(
            members: members, voteRule: .soft, classNames: names,
            normalisation: Normalization(mean: [0.3], std: [0.4]), inputShape: shape,
            provenance: Provenance(createdAt: "2026-01-01T00:00:00Z", command: "test", runID: "tta"),
            testTimeAugmentation: tta)
        return try EnsemblePredictor(manifest: manifest, models: models, metadata: metas, files: ["a", "b"])
    }

    private func randomImages(_ n: Int, seed: UInt64) -> [UInt8] {
        var g = SeededGenerator(seed: seed)
        return (0..<(n * side * side)).map { _ in UInt8(truncatingIfNeeded: g.next()) }
    }

    /// Image `pixels` (one 8×8 grey image) moved by (dx, dy), black where nothing moves in; mirrored first if asked.
    private func view(_ pixels: [UInt8], mirror: Bool = false, dx: Int = 0, dy: Int = 0) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: side * side)
        for y in 0..<side {
            for x in 0..<side {
                let sy = y - dy, sx = x - dx
                guard (0..<side).contains(sy), (0..<side).contains(sx) else { continue }
                out[y * side + x] = pixels[sy * side + (mirror ? side - 1 - sx : sx)]
            }
        }
        return out
    }

    private func probabilities(_ p: EnsemblePredictor, _ images: [[UInt8]]) -> [[Float]] {
        let array = ImageArray(imageShape: [side, side, 1], pixels: images.flatMap { $0 }, count: images.count)
        return p.predict(array).map(\.probabilities)
    }

    func testMirroredImageGetsTheMirroredAverageProbabilities() throws {
        let image = randomImages(1, seed: 4), mirrored = view(image, mirror: true)
        let flip = try predictor(.flip), plain = try predictor(.none)
        let withFlip = probabilities(flip, [image, mirrored])
        let alone = probabilities(plain, [image, mirrored])
        for k in 0..<2 {
            let a = Array(withFlip[k][0..<5]), b = Array(withFlip[k][5..<10])
            XCTAssertEqual(a, b, "member \(k): an image and its mirror get the same answer under flip")
            for c in 0..<5 {
                XCTAssertEqual(a[c], (alone[k][c] + alone[k][5 + c]) / 2, accuracy: 1e-6, "member \(k) class \(c)")
            }
            XCTAssertNotEqual(alone[k][0..<5], alone[k][5..<10], "the fixture's image is not symmetric")
            XCTAssertEqual(a.reduce(0, +), 1, accuracy: 1e-5)
        }
    }

    func testFlipShiftAveragesSixViewsWithBlackFill() throws {
        let image = randomImages(1, seed: 8)
        let views = [
            view(image), view(image, mirror: true), view(image, dx: 1), view(image, dx: -1),
            view(image, dy: 1), view(image, dy: -1)
        ]
        let alone = probabilities(try predictor(.none), views)
        let shifted = probabilities(try predictor(.flipShift), [image])
        for k in 0..<2 {
            for c in 0..<5 {
                let mean = (0..<6).map { alone[k][$0 * 5 + c] }.reduce(0, +) / 6
                XCTAssertEqual(shifted[k][c], mean, accuracy: 1e-6, "member \(k) class \(c)")
            }
        }
    }

    func testAugmentedAnswersDoNotDependOnThreadsOrBatching() throws {
        let flip = try predictor(.flipShift)
        let pixels = randomImages(300, seed: 2)
        let all = ImageArray(imageShape: [side, side, 1], pixels: pixels, count: 300)
        let one = flip.predict(all, threads: 1), two = flip.predict(all, threads: 2)
        XCTAssertEqual(one.map(\.probabilities), two.map(\.probabilities))
        let last = probabilities(flip, [Array(pixels[(299 * 64)...])])
        // One image alone goes through other GEMM shapes than a batch of 256, hence a tolerance.
        for k in 0..<2 {
            for c in 0..<5 { XCTAssertEqual(one[k].probabilities[299 * 5 + c], last[k][c], accuracy: 1e-5) }
        }
    }

    func testEnsembleJSONRecordsTheAugmentationAndOlderFilesReadAsNone() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("quorum-tta-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        var manifest = try predictor(.flip).manifest
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for m in manifest.members { try Data([0]).write(to: dir.appendingPathComponent(m.file)) }
        try manifest.write(to: dir)
        let url = dir.appendingPathComponent("ensemble.json")
        let text = try String(contentsOf: url, encoding: .utf8)
        XCTAssertTrue(text.contains("\"test_time_augmentation\" : \"flip\""), text)
        XCTAssertEqual(try EnsembleManifest.load(from: dir).testTimeAugmentation, .flip)
        // A manifest written before the field existed: no augmentation.
        var object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        object.removeValue(forKey: "test_time_augmentation")
        try JSONSerialization.data(withJSONObject: object).write(to: url)
        XCTAssertEqual(try EnsembleManifest.load(from: dir).testTimeAugmentation, TestTimeAugmentation.none)
        object["test_time_augmentation"] = "rotate"
        try JSONSerialization.data(withJSONObject: object).write(to: url)
        XCTAssertThrowsError(try EnsembleManifest.load(from: dir)) {
            XCTAssertTrue("\($0)".contains("test_time_augmentation"), "\($0)")
        }
        manifest.testTimeAugmentation = .none
        XCTAssertEqual(VoteRule.answer, .soft, "the soft vote is the ensemble's answer by default")
    }
}
