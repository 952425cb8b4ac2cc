import ArgumentParser
import Foundation
import QuorumRun
import QuorumCore

extension Quorum {
    /// `quorum local`: a coordinator and its worker processes on this machine.
    struct Local: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train an ensemble on this machine: a coordinator plus worker processes, then the vote.",
            discussion: """
                Example:
                  quorum local --members 5 --workers 2 --epochs 10 --augment random \\
                    --run-dir runs/fashion

                By default one worker per core, each with 1 compute thread. Workers log to RUN_DIR/logs/. No process \
                is left behind on a normal exit, on Ctrl-C, or when the coordinator itself dies.

                Exit status: 0 when every member is stored, 3 when the run finished without members that failed for \
                good (summary.json names them; --resume trains them later), 1 on an error or Ctrl-C.
                """)

        @Option(help: "Worker processes (default: one per core).")
        var workers: Int?

        @Flag(
            inversion: .prefixedNo,
            help: ArgumentHelp(
                "Once no job is left to hand out, let the workers still training use the idle workers' threads.",
                discussion: "Keeps every core busy to the end. Members keep their bits: training gives the same "
                    + "weights at any thread count."))
        var shareIdleCores = true

        @OptionGroup var ensemble: EnsembleOptions
        @OptionGroup var quarantine: QuarantineOptions
        @OptionGroup var training: TrainingOptions

        func validate() throws {
            if let w = workers, !(1...64).contains(w) { throw ValidationError("--workers must be between 1 and 64") }
            try ensemble.metrics.checkExposure(insecure: false)
        }

        func run() throws {
            let count = workers ?? ProcessInfo.processInfo.activeProcessorCount
            let processes = WorkerProcesses()
            let flow = EnsembleRunFlow(
                training: training, ensemble: ensemble, quarantine: quarantine,
                command: CommandLine.arguments.joined(separator: " "))
            // Every worker runs on this machine, so an idle worker's core is free for one still training.
            try flow.run(
                endpoint: "tcp://127.0.0.1:0", shipsData: false, shareIdleCores: shareIdleCores,
                startWorkers: { endpoint, runDirectory in
                    try processes.start(
                        count: count, endpoint: endpoint, heartbeat: ensemble.heartbeat,
                        liveness: ensemble.liveness, quiet: ensemble.quiet,
                        logDirectory: runDirectory.appendingPathComponent("logs"))
                }, stopWorkers: { processes.stopAll() })
        }
    }
}
