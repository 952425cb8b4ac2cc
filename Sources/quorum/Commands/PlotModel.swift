import ArgumentParser
import Foundation
import QuorumEnsemble
import QuorumCore

extension Quorum {
    /// `quorum plot-model`: a model's graph with output shapes and parameter counts, as SVG, DOT or PNG.
    struct PlotModel: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "plot-model",
            abstract: "Draw a model's layers with output shapes and parameter counts (SVG, Graphviz DOT or PNG).",
            discussion: """
                The format follows --out's extension. SVG is drawn by Quorum itself; .dot is Graphviz text; \
                .png is rendered by Graphviz's `dot` (Debian package graphviz), which must be installed for it, \
                at --dpi dots per inch.
                """)

        @OptionGroup var choice: ModelChoiceOptions

        @Option(help: "Output file: .svg, .dot or .png.")
        var out: String

        @Option(help: "Resolution of a .png, in dots per inch (Graphviz draws 96 at 1:1).")
        var dpi: Int = 150

        func validate() throws {
            guard ["svg", "dot", "png"].contains(URL(fileURLWithPath: out).pathExtension.lowercased()) else {
                throw ValidationError("--out must end in .svg, .dot or .png, got '\(out)'")
            }
            guard (Self.dpiRange).contains(dpi) else {
                throw ValidationError("--dpi must be between 36 and 600, got \(dpi)")
            }
        }

        /// Resolutions `--dpi` accepts: below 36 text is unreadable; above 600 a deep network's PNG runs to
        /// hundreds of megapixels.
        static let dpiRange = 36...600

        func run() throws {
            let network = try choice.network()
            let graph = ModelGraph(model: network)
            let url = URL(fileURLWithPath: out)
            switch url.pathExtension.lowercased() {
            case "svg": try Data(graph.svg().utf8).write(to: url, options: .atomic)
            case "dot": try Data(graph.dot().utf8).write(to: url, options: .atomic)
            default: try Self.renderPNG(dot: graph.dot(), to: out, dpi: dpi)
            }
            print("model graph \(out): \(graph.nodes.count - 1) layers, \(network.parameterCount) parameters")
        }

        /// Runs Graphviz's `dot -Tpng`; a missing `dot` gets a message naming the package.
        static func renderPNG(dot: String, to path: String, dpi: Int) throws {
            let searchPath = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
            guard
                let executable = searchPath.split(separator: ":").map({ "\($0)/dot" })
                    .first(where: { FileManager.default.isExecutableFile(atPath: $0) })
            else {
                throw ValidationError(
                    "PNG output needs Graphviz's `dot`, which is not installed (Debian/Ubuntu: apt-get install "
                        + "graphviz). Write .svg (drawn by Quorum) or .dot instead.")
            }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = ["-Tpng", "-Gdpi=\(dpi)", "-o", path]
            let input = Pipe(), errors = Pipe()
            process.standardInput = input
            process.standardError = errors
            try process.run()
            input.fileHandleForWriting.write(Data(dot.utf8))
            try input.fileHandleForWriting.close()
            let message = errors.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                let text = String(decoding: message, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                throw ValidationError("dot could not render \(path): \(text)")
            }
        }
    }
}
