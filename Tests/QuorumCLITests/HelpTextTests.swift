import Foundation
import XCTest

/// Every command's `--help` as an 80-column terminal shows it: paragraphs that ArgumentParser wraps itself,
/// so no line ends inside a sentence, and no line but the usage synopsis is wider than the terminal.
final class HelpTextTests: XCTestCase {
    private static let columns = 80
    private var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("quorum-help-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { if let dir { try? FileManager.default.removeItem(at: dir) } }

    func testEveryCommandsHelpReadsInWholeSentencesAt80Columns() throws {
        let commands = try allCommands()
        XCTAssertTrue(commands.contains(["local"]) && commands.contains(["ensemble", "create"]), "\(commands)")
        var problems: [String] = []
        for command in commands {
            let help = try helpText(command)
            let name = (["quorum"] + command).joined(separator: " ")
            problems += Self.sentencesBrokenByHand(in: help, columns: Self.columns).map { "\(name): \($0)" }
            problems += Self.linesWiderThan(Self.columns, in: help).map { "\(name): too wide: \($0)" }
        }
        XCTAssertEqual(problems, [], "\n" + problems.joined(separator: "\n"))
    }

    /// The check itself, on the help `quorum local` printed when its discussion was broken by hand.
    func testTheCheckFindsALineBrokenInsideASentence() {
        let old = """
            Example: quorum local --members 5 --workers 2 --epochs 10 --augment random
            --run-dir runs/fashion
            By default one worker per core, each with 1 BLAS thread. Workers log to
            RUN_DIR/logs/. No process is
            left behind on a normal exit, on Ctrl-C, or when the coordinator itself dies.
            """
        XCTAssertEqual(
            Self.sentencesBrokenByHand(in: old, columns: 80),
            [
                "'RUN_DIR/logs/. No process is' / 'left behind on a normal exit, on Ctrl-C, or when the "
                    + "coordinator itself dies.'"
            ])
        let wrapped = """
            By default one worker per core, each with 1 compute thread. Workers log to
            RUN_DIR/logs/. No process is left behind on a normal exit, on Ctrl-C, or when
            the coordinator itself dies.
              --threads <threads>     Compute threads (oneDNN's OpenMP threads). (default:
                                      1)
              --switch-epoch <switch-epoch>
                                      adam-sgd: switch to SGD at the start of this epoch.
                    undersample       - Every class cut down to the smallest class's
                                        count.
            """
        XCTAssertEqual(Self.sentencesBrokenByHand(in: wrapped, columns: 80), [])
    }

    /// Every command path (`["ensemble", "create"]`), from the subcommand lists of the help texts.
    private func allCommands() throws -> [[String]] {
        var found: [[String]] = []
        var queue: [[String]] = [[]]
        while !queue.isEmpty {
            let command = queue.removeFirst()
            if !command.isEmpty { found.append(command) }
            queue += Self.subcommands(in: try helpText(command)).map { command + [$0] }
        }
        return found
    }

    private func helpText(_ command: [String]) throws -> String {
        let out = try CLIRunner.run(
            command + ["--help"], timeout: 60, environment: ["COLUMNS": "\(Self.columns)"],
            in: dir)
        XCTAssertEqual(out.status, 0, "quorum \(command.joined(separator: " ")) --help: \(out.stderr)")
        return out.stdout
    }

    /// The names listed under SUBCOMMANDS (two spaces in, then the name), without `help`.
    static func subcommands(in help: String) -> [String] {
        let lines = help.components(separatedBy: "\n")
        guard let start = lines.firstIndex(where: { $0.hasPrefix("SUBCOMMANDS:") }) else { return [] }
        return lines[(start + 1)...].prefix { !$0.isEmpty }.compactMap { line -> String? in
            guard line.hasPrefix("  "), line.dropFirst(2).first?.isLetter == true,
                let name = line.split(separator: " ").first, name != "help"
            else { return nil }
            return String(name)
        }
    }

    /// Line pairs where a line ends inside a sentence (no closing punctuation, and the next line goes on
    /// with a lower-case word) although the next word would have fitted: a break ArgumentParser did not make.
    /// Lines that start a command example (`quorum ...`) and option labels standing alone are not prose.
    static func sentencesBrokenByHand(in help: String, columns: Int) -> [String] {
        let lines = help.components(separatedBy: "\n")
        var found: [String] = []
        for (line, next) in zip(lines, lines.dropFirst()) {
            let text = line.trimmingCharacters(in: .whitespaces)
            let rest = next.trimmingCharacters(in: .whitespaces)
            guard let last = text.last, let word = rest.split(separator: " ").first,
                word.first?.isLowercase == true
            else { continue }
            // The first line of a value's description ("        flip   - The image and ...") is wrapped two
            // columns short: ArgumentParser wraps "- " + description with the continuation's indent, then lays
            // it after the value name.
            let valueEntry =
                line.hasPrefix(String(repeating: " ", count: 8)) && line.dropFirst(8).first != " "
                && line.contains(" - ")
            let wrappedByParser = line.count + 1 + word.count >= columns - (valueEntry ? 2 : 0)
            let closed = ".:;!?)>\\".contains(last)
            let labelOnly = text.hasPrefix("-") && !text.contains("  ")
            if wrappedByParser || closed || labelOnly || rest.hasPrefix("quorum ") { continue }
            found.append("'\(text)' / '\(rest)'")
        }
        return found
    }

    /// Lines longer than `columns` characters, except the USAGE synopsis, which ArgumentParser never wraps.
    static func linesWiderThan(_ columns: Int, in help: String) -> [String] {
        help.components(separatedBy: "\n").filter { $0.count > columns && !$0.hasPrefix("USAGE:") }
    }
}
