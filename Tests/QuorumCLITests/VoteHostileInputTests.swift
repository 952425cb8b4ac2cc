import Foundation
import QuorumCore
import QuorumData
import XCTest

/// `quorum vote` on hostile inputs beside a valid one: each hostile input fails with a message naming the file
/// and the problem, the valid input is still answered, and the command ends with a failure status.
final class VoteHostileInputTests: XCTestCase {
    func testBombAndHugeDeclaredImagesAreRefusedAndTheRestIsAnswered() throws {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("quorum-vote-hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

        // A one-member ensemble of an untrained 8×8 grey model: only the reading of inputs matters here.
        let spec = try ModelSpec(parsing: "flatten dense(3)", inputShape: [8, 8, 1], classes: 3)
        let metadata = ModelMetadata(
            spec: spec, normalizationMean: [0.5], normalizationStd: [0.25],
            classNames: ["a", "b", "c"])
        try ModelFile.save(Sequential(spec: spec, seed: 1), metadata: metadata, to: path("member.safetensors"))
        let create = try CLIRunner.run(
            [
                "ensemble", "create", "--out", path("ensemble"), "--members",
                path("member.safetensors")
            ], in: dir)
        XCTAssertEqual(create.status, 0, create.stderr)

        // 300 gzip members of 1 MiB of zeros: a few hundred kilobytes that would inflate to 300 MiB.
        let member = Gzip.compress([UInt8](repeating: 0, count: 1 << 20), level: 9)
        try Data([[UInt8]](repeating: member, count: 300).joined()).write(to: URL(fileURLWithPath: path("bomb.gz")))
        // A 16-byte IDX declaring 16 images of 2^30 × 2^30, whose size wraps to 0 in unchecked arithmetic.
        try Data([0, 0, 8, 3, 0, 0, 0, 16, 64, 0, 0, 0, 64, 0, 0, 0]).write(to: URL(fileURLWithPath: path("wrap-idx3")))
        try Data(Array("P5 30000 30000 255 ".utf8)).write(to: URL(fileURLWithPath: path("huge.pgm")))
        let good = [UInt8]("P5 8 8 255\n".utf8) + (0..<64).map { UInt8($0 * 4) }
        try Data(good).write(to: URL(fileURLWithPath: path("good.pgm")))

        let out = try CLIRunner.run(
            [
                "vote", "--ensemble", path("ensemble"), "--json", "--input", path("bomb.gz"),
                path("wrap-idx3"), path("huge.pgm"), path("good.pgm")
            ], in: dir)
        XCTAssertNotEqual(out.status, 0, "failed inputs make the command fail")
        let object = try XCTUnwrap(
            JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any],
            out.stdout)
        let errors = try XCTUnwrap(object["errors"] as? [[String: String]])
        func name(_ file: String?) -> String { URL(fileURLWithPath: file ?? "").lastPathComponent }
        let byFile = Dictionary(errors.map { (name($0["file"]), $0["error"] ?? "") }, uniquingKeysWith: { a, _ in a })
        let limit = ReaderLimits.inputFileBytes
        XCTAssertTrue(byFile["bomb.gz"]?.contains("larger than the limit of \(limit) bytes") == true, "\(byFile)")
        XCTAssertTrue(byFile["wrap-idx3"]?.contains("1073741824×1073741824") == true, "\(byFile)")
        XCTAssertTrue(byFile["huge.pgm"]?.contains("30000×30000") == true, "\(byFile)")
        let inputs = try XCTUnwrap(object["inputs"] as? [[String: Any]])
        XCTAssertEqual(inputs.count, 1)
        XCTAssertEqual(name(inputs.first?["file"] as? String), "good.pgm")
    }
}
