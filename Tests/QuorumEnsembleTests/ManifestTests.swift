import XCTest
import QuorumData
@testable import QuorumEnsemble

final class ManifestTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("quorum-manifest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    private func manifest() -> EnsembleManifest {
        EnsembleManifest(
            members: [
                ManifestMember(
                    name: "member-1", file: "member-1.safetensors", seed: 1, augmentation: "crop+flip",
                    validationAccuracy: 0.918, testAccuracy: 0.9125, weight: 0.918),
                ManifestMember(name: "member-2", file: "member-2.safetensors", seed: 2, augmentation: "none")
            ],
            voteRule: .soft, classNames: ["T-shirt/top", "Trouser", "<&>"],
            normalisation: Normalization(mean: [0.2860], std: [0.3530]), inputShape: [28, 28, 1],
            provenance: Provenance(
                createdAt: Date(timeIntervalSince1970: 1_700_000_000), command: "quorum local --members 2",
                runID: "run-1"))
    }

    func testWeightedIsScoredOnlyWhenTheWeightsAreUsable() {
        var m = manifest()
        XCTAssertEqual(m.usableVoteRules, [.hard, .soft, .weighted])
        for bad: [Float] in [[0, 0], [-1, 1], [.nan, 1]] {
            for (i, w) in bad.enumerated() { m.members[i].weight = w }
            XCTAssertEqual(m.usableVoteRules, [.hard, .soft], "weights \(bad)")
        }
    }

    private func touchMembers(_ m: EnsembleManifest) throws {
        for member in m.members { try Data([0]).write(to: dir.appendingPathComponent(member.file)) }
    }

    private func writeRaw(_ text: String) throws {
        try Data(text.utf8).write(to: dir.appendingPathComponent("ensemble.json"))
    }

    func testRoundTrip() throws {
        let m = manifest()
        try touchMembers(m)
        try m.write(to: dir)
        let loaded = try EnsembleManifest.load(from: dir)
        XCTAssertEqual(loaded, m)
        XCTAssertEqual(loaded.formatVersion, 1)
        XCTAssertEqual(loaded.weights, [0.918, 1])
        XCTAssertEqual(loaded.provenance.createdAt, "2023-11-14T22:13:20Z")
        let text = try String(contentsOf: dir.appendingPathComponent("ensemble.json"), encoding: .utf8)
        for key in [
            "\"format_version\"", "\"vote_rule\"", "\"class_names\"", "\"input_shape\"", "\"created_at\"",
            "\"run_id\"", "\"validation_accuracy\"", "\"test_accuracy\""
        ] {
            XCTAssertTrue(text.contains(key), "manifest lacks \(key)")
        }
    }

    func testMissingManifest() {
        XCTAssertThrowsError(try EnsembleManifest.load(from: dir)) { error in
            guard case .missingManifest = error as? ManifestError else { return XCTFail("\(error)") }
            XCTAssertTrue("\(error)".contains("ensemble.json"))
        }
    }

    func testMissingMemberFileIsNamed() throws {
        let m = manifest()
        try m.write(to: dir)
        try Data([0]).write(to: dir.appendingPathComponent("member-1.safetensors"))
        XCTAssertThrowsError(try EnsembleManifest.load(from: dir)) { error in
            guard case let .missingMemberFile(_, member, file) = error as? ManifestError else {
                return XCTFail("\(error)")
            }
            XCTAssertEqual(member, "member-2")
            XCTAssertEqual(file, "member-2.safetensors")
            XCTAssertTrue("\(error)".contains("member-2.safetensors"))
        }
    }

    func testUnreadableJSONGivesTheReason() throws {
        try writeRaw("{ \"format_version\": 1, ")
        XCTAssertThrowsError(try EnsembleManifest.load(from: dir)) { error in
            guard case let .unreadable(path, reason) = error as? ManifestError else { return XCTFail("\(error)") }
            XCTAssertTrue(path.hasSuffix("ensemble.json"))
            XCTAssertFalse(reason.isEmpty)
        }
        try writeRaw("{ \"format_version\": 1, \"members\": [] }")
        XCTAssertThrowsError(try EnsembleManifest.load(from: dir)) { error in
            guard case let .unreadable(_, reason) = error as? ManifestError else { return XCTFail("\(error)") }
            XCTAssertTrue(
                reason.contains("vote_rule") || reason.contains("normalisation") || reason.contains("class_names")
                    || reason.contains("input_shape") || reason.contains("provenance"), reason)
        }
    }

    func testUnsupportedVersion() throws {
        try writeRaw("{ \"format_version\": 2, \"something_new\": true }")
        XCTAssertThrowsError(try EnsembleManifest.load(from: dir)) { error in
            guard case let .unsupportedVersion(_, found, supported) = error as? ManifestError else {
                return XCTFail("\(error)")
            }
            XCTAssertEqual(found, 2)
            XCTAssertEqual(supported, 1)
            XCTAssertTrue("\(error)".contains("format_version 2"))
        }
    }

    func testInvalidFieldsAreRejected() throws {
        var m = manifest()
        m.members[0].file = "../elsewhere.safetensors"
        XCTAssertThrowsError(try m.write(to: dir)) { error in
            guard case let .invalidField(_, field, _, _) = error as? ManifestError else { return XCTFail("\(error)") }
            XCTAssertEqual(field, "members[0].file")
        }
        m = manifest()
        m.normalisation.std = [0]
        XCTAssertThrowsError(try m.write(to: dir)) { XCTAssertTrue("\($0)".contains("normalisation.std"), "\($0)") }
        m = manifest()
        m.members[1].weight = -1
        XCTAssertThrowsError(try m.write(to: dir)) { XCTAssertTrue("\($0)".contains("members[1].weight"), "\($0)") }
    }
}
