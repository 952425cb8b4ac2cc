import Foundation
import XCTest

/// `quorum train --data DIR` on a tiny class-folder tree written by the test (grey PGM files of two sizes and
/// a colour JPEG fixture), then `quorum vote --input DIR --output` on the same tree: the round trip a user
/// with their own images makes.
final class ImageFolderCLITests: XCTestCase {
    /// A P5 grey map of `side × side` pixels around `level`, varied by `seed`.
    static func pgm(side: Int, level: Int, seed: Int) -> Data {
        let pixels = (0..<(side * side)).map { UInt8(clamping: level + (($0 * 7 + seed * 13) % 31) - 15) }
        return Data(Array("P5 \(side) \(side) 255\n".utf8) + pixels)
    }

    /// `dark/` and `light/` folders of 12 PGM files each (two of them 10×10, the rest 8×8), a colour JPEG in
    /// `light/`, and one zero-byte file in `dark/`.
    static func writeTree(_ root: URL) throws {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/jpeg")
        for (name, level) in [("dark", 40), ("light", 210)] {
            let folder = root.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for i in 0..<12 {
                try pgm(side: i < 2 ? 10 : 8, level: level, seed: i).write(
                    to: folder.appendingPathComponent("\(i).pgm"))
            }
        }
        try FileManager.default.copyItem(
            at: fixtures.appendingPathComponent("colour.jpg"),
            to: root.appendingPathComponent("light/photo.jpg"))
        try Data().write(to: root.appendingPathComponent("dark/empty.pgm"))
    }

    func testTrainOnAClassFolderTreeThenVoteOnItWithACSVAndJSONLOutput() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("quorum-folder-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let tree = dir.appendingPathComponent("pictures")
        try Self.writeTree(tree)
        let model = dir.appendingPathComponent("m.safetensors").path
        let train = ["train", "--data", tree.path, "--model", "mlp", "--epochs", "2", "--seed", "1", "--out", model]

        let refused = try CLIRunner.run(train, in: dir)
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.stderr.contains("1 unreadable image file"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("dark/empty.pgm"), refused.stderr)

        let trained = try CLIRunner.run(train + ["--skip-bad-files"], in: dir)
        XCTAssertEqual(trained.status, 0, trained.stderr)
        XCTAssertTrue(trained.stderr.contains("validation split: 2 images"), trained.stderr)  // one per class
        XCTAssertTrue(trained.stderr.contains("[8, 8, 3]"), trained.stderr)  // common size; colour from the JPEG
        let skipped = try String(contentsOfFile: dir.appendingPathComponent("m.skipped.txt").path, encoding: .utf8)
        XCTAssertTrue(skipped.hasPrefix("dark/empty.pgm: "), skipped)
        XCTAssertTrue(trained.stdout.contains("dark") && trained.stdout.contains("light"), trained.stdout)

        let ensemble = dir.appendingPathComponent("ensemble").path
        let create = try CLIRunner.run(["ensemble", "create", "--out", ensemble, "--members", model], in: dir)
        XCTAssertEqual(create.status, 0, create.stderr)
        let manifest = try String(contentsOfFile: ensemble + "/ensemble.json", encoding: .utf8)
        XCTAssertTrue(manifest.contains("\"dark\"") && manifest.contains("\"light\""), manifest)

        let csv = dir.appendingPathComponent("x.csv").path
        let vote = try CLIRunner.run(["vote", "--ensemble", ensemble, "--input", tree.path, "--output", csv], in: dir)
        XCTAssertEqual(vote.status, 1)  // the empty file is named and makes the exit status non-zero
        XCTAssertTrue(vote.stderr.contains("dark/empty.pgm"), vote.stderr)
        XCTAssertTrue(vote.stdout.contains("25 images from 25 of 26 inputs"), vote.stdout)
        XCTAssertTrue(vote.stdout.contains("accuracy: "), vote.stdout)
        XCTAssertTrue(vote.stdout.contains("confusion matrix"), vote.stdout)
        let rows = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(rows.first, "path,class,probability,agreement,votes_dark,votes_light,label")
        XCTAssertEqual(rows.count, 26)
        let photo = rows.first { $0.contains("light/photo.jpg") }.map { $0.split(separator: ",") }
        XCTAssertEqual(photo?.count, 7)
        XCTAssertEqual(photo?.last, "light")
        XCTAssertEqual(photo.map { Int($0[4])! + Int($0[5])! }, 1)  // one member, one vote

        let jsonl = dir.appendingPathComponent("one.jsonl").path
        let single = try CLIRunner.run(
            ["vote", "--ensemble", ensemble, "--input", tree.path + "/light/photo.jpg", "--output", jsonl], in: dir)
        XCTAssertEqual(single.status, 0, single.stderr)
        let line = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: jsonl)))
        let object = try XCTUnwrap(line as? [String: Any])
        XCTAssertEqual(object["path"] as? String, tree.path + "/light/photo.jpg")
        XCTAssertNotNil(object["probability"] as? Double)
        XCTAssertEqual((object["votes"] as? [String: Int]).map { $0.values.reduce(0, +) }, 1)

        // evaluate makes the folder's test images at the model's size and channels (the empty file removed,
        // as evaluation does not skip bad files).
        try FileManager.default.removeItem(at: tree.appendingPathComponent("dark/empty.pgm"))
        let evaluated = try CLIRunner.run(["evaluate", "--model", model, "--data", tree.path], in: dir)
        XCTAssertEqual(evaluated.status, 0, evaluated.stderr)
        XCTAssertTrue(evaluated.stdout.contains("accuracy"), evaluated.stdout)
    }

    func testALocalRunOnAnImageFolderRecordsSkippedFilesAndClassNames() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("quorum-local-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let tree = dir.appendingPathComponent("pictures")
        try Self.writeTree(tree)
        let run = dir.appendingPathComponent("run").path
        let local = try CLIRunner.run(
            [
                "local", "--run-dir", run, "--data", tree.path, "--members", "2", "--workers", "2", "--model", "mlp",
                "--epochs", "1", "--seed", "1", "--skip-bad-files", "--json"
            ], in: dir)
        XCTAssertEqual(local.status, 0, local.stderr)
        let skipped = try String(contentsOfFile: run + "/skipped-images.txt", encoding: .utf8)
        XCTAssertTrue(skipped.hasPrefix("dark/empty.pgm: "), skipped)
        let manifest = try JSONSerialization.jsonObject(
            with: Data(contentsOf: URL(fileURLWithPath: run + "/ensemble.json")))
        XCTAssertEqual((manifest as? [String: Any])?["class_names"] as? [String], ["dark", "light"])
        let plan = try XCTUnwrap(
            try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: run + "/plan.json")))
                as? [String: Any])
        let config = try XCTUnwrap((plan["members"] as? [[String: Any]])?.first?["config"] as? [String: Any])
        XCTAssertEqual(config["image_size"] as? [Int], [8, 8])
        XCTAssertEqual(config["channels"] as? Int, 3)
        XCTAssertEqual(config["skip_bad_files"] as? Bool, true)
    }

    func testImageFolderFlagsAreRefusedForOtherData() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("quorum-flags-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for flag in [["--test-share", "0.3"], ["--channels", "3"], ["--image-size", "8,8"], ["--skip-bad-files"]] {
            let out = try CLIRunner.run(
                ["train", "--data", "train=a.csv,test=b.csv", "--validation-size", "1"] + flag, in: dir)
            XCTAssertNotEqual(out.status, 0)
            XCTAssertTrue(out.stderr.contains("apply to image folders only"), out.stderr)
        }
        let tree = dir.appendingPathComponent("pictures")
        try ImageFolderCLITests.writeTree(tree)
        let bad = try CLIRunner.run(["train", "--data", tree.path, "--image-size", "8x8"], in: dir)
        XCTAssertNotEqual(bad.status, 0)
        XCTAssertTrue(bad.stderr.contains("--image-size must be HEIGHT,WIDTH"), bad.stderr)
    }
}
