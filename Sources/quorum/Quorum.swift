import ArgumentParser
import Logging

/// The `quorum` command line: train ensembles of small networks and let them vote.
@main
struct Quorum: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quorum",
        abstract: "Train ensembles of small neural networks across processes and machines, and let them vote.",
        version: "0.1.0",
        subcommands: [
            Local.self, Coordinator.self, Worker.self, Train.self, Distill.self, Evaluate.self, Vote.self,
            Ensemble.self,
            Report.self, PlotModel.self, Prune.self, Finetune.self, ImportPyTorch.self, Summary.self, Bench.self,
            Keygen.self, Serve.self, LoadTest.self
        ]
    )

    /// Routes every library's log lines to standard error in the command line's format, then runs the command.
    static func main() {
        LoggingSystem.bootstrap { TerminalLogHandler(label: $0) }
        main(nil)
    }
}
