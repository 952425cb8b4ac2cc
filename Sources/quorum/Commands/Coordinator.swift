import ArgumentParser
import Foundation
import QuorumCluster

extension Quorum {
    /// `quorum coordinator`: serves an ensemble's jobs to workers that connect, then votes.
    struct Coordinator: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve an ensemble's training jobs to workers, gather their predictions and vote.",
            discussion: """
            Example: quorum coordinator --bind tcp://0.0.0.0:5555 --members 5 --epochs 10 --model cnn-a \\
                       --augment random --run-dir runs/x
            then, on each worker machine: quorum worker --connect tcp://COORDINATOR:5555
            --augment takes one setting for all members, a ';'-separated list (member i takes entry i mod n), or
            'random' (each member draws its own from a seeded space). Stop with Ctrl-C and continue later with
            --resume RUN_DIR: members already stored are never trained again.
            """)

        @Option(help: "Address to listen on, e.g. tcp://127.0.0.1:5555 or tcp://0.0.0.0:5555.")
        var bind: String = "tcp://127.0.0.1:5555"

        @OptionGroup var ensemble: EnsembleOptions
        @OptionGroup var training: TrainingOptions

        func run() throws {
            let flow = EnsembleRunFlow(training: training, ensemble: ensemble, command: CommandLine.arguments.joined(separator: " "))
            try flow.run(endpoint: bind, startWorkers: { _, _ in }, stopWorkers: {})
        }
    }
}
