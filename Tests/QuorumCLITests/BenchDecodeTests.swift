import Foundation
import XCTest

/// `quorum bench --decode DIR` measures decoding an image folder: every file is decoded, at the size asked.
final class BenchDecodeTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("quorum-bench-decode-\(UUID().uuidString)")
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/jpeg")
        for (folder, files) in [
            ("grey", ["grey.jpg", "progressive-grey.jpg"]), ("colour", ["colour.jpg", "restart.jpg"])
        ] {
            let classFolder = dir.appendingPathComponent("images/\(folder)")
            try FileManager.default.createDirectory(at: classFolder, withIntermediateDirectories: true)
            for file in files {
                try FileManager.default.copyItem(
                    at: fixtures.appendingPathComponent(file), to: classFolder.appendingPathComponent(file))
            }
        }
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: dir) }

    func testEveryFileIsDecodedAtTheSizeAsked() throws {
        let images = dir.appendingPathComponent("images").path
        let run = try CLIRunner.run(
            ["bench", "--decode", images, "--decode-size", "12,10", "--windows", "1", "--json"], in: dir)
        XCTAssertEqual(run.status, 0, run.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["images"] as? Int, 4)
        XCTAssertEqual(object["failures"] as? Int, 0)
        XCTAssertEqual(object["height"] as? Int, 12)
        XCTAssertEqual(object["width"] as? Int, 10)
        XCTAssertEqual(object["channels"] as? Int, 3, "colour files make the set colour")
        XCTAssertGreaterThan(object["images_per_second"] as? Double ?? 0, 0)
    }

    func testABadSizeIsNamedBeforeAnythingIsDecoded() throws {
        let run = try CLIRunner.run(
            ["bench", "--decode", dir.appendingPathComponent("images").path, "--decode-size", "12,x"], in: dir)
        XCTAssertNotEqual(run.status, 0)
        XCTAssertTrue(run.stderr.contains("--decode-size must be HEIGHT,WIDTH"), run.stderr)
        XCTAssertFalse(run.stderr.contains("surveying"), "the size is checked first")
    }
}
