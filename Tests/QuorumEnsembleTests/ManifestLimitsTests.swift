import XCTest
import QuorumData
@testable import QuorumEnsemble

/// An ensemble whose manifest declares an input shape no model can take is refused when loaded, with the field
/// named, instead of failing later in `quorum vote`.
final class ManifestLimitsTests: XCTestCase {
    func testInputShapeOverTheModelLimitsIsRefused() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("quorum-manifest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let manifest = EnsembleManifest(
            members: [ManifestMember(name: "member-1", file: "member-1.safetensors", seed: 1, augmentation: "none")],
            voteRule: .soft, classNames: ["a", "b"], normalisation: Normalization(mean: [0.5], std: [0.25]),
            inputShape: [28, 28, 1],
            provenance: Provenance(createdAt: Date(timeIntervalSince1970: 0), command: "test", runID: "run-1"))
        try Data([0]).write(to: dir.appendingPathComponent("member-1.safetensors"))
        try manifest.write(to: dir)
        let file = dir.appendingPathComponent("ensemble.json")
        let valid = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
        for shape in [[1 << 62, 1, 1], [28, 28], [8192, 8192, 4096]] {
            var edited = valid
            edited["input_shape"] = shape
            try JSONSerialization.data(withJSONObject: edited).write(to: file)
            XCTAssertThrowsError(try EnsembleManifest.load(from: dir)) { error in
                XCTAssertTrue("\(error)".contains("input_shape"), "\(error)")
                XCTAssertTrue("\(error)".contains("model limits"), "\(error)")
            }
            var writing = manifest
            writing.inputShape = shape
            XCTAssertThrowsError(try writing.write(to: dir))
        }
    }
}
