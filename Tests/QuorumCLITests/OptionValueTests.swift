import Foundation
import XCTest

/// Enumerated settings are parsed by ArgumentParser: a bad value is refused before anything runs, with a
/// message that names the flag and the values it takes.
final class OptionValueTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("quorum-options-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { if let dir { try? FileManager.default.removeItem(at: dir) } }

    func testABadValueNamesTheFlagAndEveryValidValue() throws {
        let cases: [(arguments: [String], flag: String, values: [String])] = [
            (
                ["train", "--optimizer", "lbfgs"], "--optimizer",
                ["sgd", "adam", "adamw", "rmsprop", "adadelta", "adam-sgd"]
            ),
            (["train", "--schedule", "exp"], "--schedule", ["constant", "step:EVERY:GAMMA", "cosine", "onecycle"]),
            (["train", "--init", "zeros"], "--init", ["he", "he-normal", "xavier", "xavier-normal", "pytorch"]),
            (["train", "--tta", "rotate"], "--tta", ["none", "flip", "flip-shift"]),
            (
                ["prune", "--model", "m.safetensors", "--prune-ratio", "0.5", "--sampling", "random"], "--sampling",
                ["shuffle", "oversample", "undersample"]
            ),
            (
                ["vote", "--ensemble", "e", "--input", "x.png", "--rule", "majority"], "--rule",
                ["hard", "soft", "weighted"]
            )
        ]
        for (arguments, flag, values) in cases {
            let out = try CLIRunner.run(arguments, timeout: 60, in: dir)
            let command = "quorum " + arguments.joined(separator: " ")
            XCTAssertEqual(out.status, 64, "\(command): \(out.stderr)")  // EX_USAGE: refused while parsing
            XCTAssertTrue(out.stderr.contains(flag), "\(command): \(out.stderr)")
            for value in values {
                XCTAssertTrue(
                    out.stderr.contains("'\(value)'") || out.stderr.contains("- \(value)\n"),
                    "\(command) does not offer \(value): \(out.stderr)")
            }
        }
    }

    func testOptimizerNamesAreReadAsTheLibraryReadsThem() throws {
        // `swats` names adam-sgd, and case does not matter; --epochs 0 then stops the run before any data is read.
        for name in ["swats", "SGD"] {
            let out = try CLIRunner.run(["train", "--optimizer", name, "--epochs", "0"], timeout: 60, in: dir)
            XCTAssertNotEqual(out.status, 0)
            XCTAssertFalse(out.stderr.contains("--optimizer"), out.stderr)
            XCTAssertTrue(out.stderr.contains("epochs"), out.stderr)
        }
    }

    func testPruneTakesTheTrainingFlagNamesAndItsFormerOnes() throws {
        let missing = dir.appendingPathComponent("missing.safetensors").path
        let withoutRatio = try CLIRunner.run(["prune", "--model", missing], timeout: 60, in: dir)
        XCTAssertEqual(withoutRatio.status, 64, withoutRatio.stderr)
        XCTAssertTrue(withoutRatio.stderr.contains("--prune-ratio"), withoutRatio.stderr)
        // Both spellings get past the flags to the settings check: a ratio of 2 is out of range.
        for flags in [["--prune-ratio", "2", "--prune-rounds", "2"], ["--ratio", "2", "--rounds", "2"]] {
            let out = try CLIRunner.run(["prune", "--model", missing] + flags, timeout: 60, in: dir)
            XCTAssertNotEqual(out.status, 0)
            XCTAssertTrue(out.stderr.contains("prune.ratio"), "\(flags): \(out.stderr)")
        }
    }
}
