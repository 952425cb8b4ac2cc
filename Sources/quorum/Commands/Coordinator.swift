import ArgumentParser
import Foundation
import QuorumCluster

extension Quorum {
    /// `quorum coordinator`: serves an ensemble's jobs to workers that connect, then votes.
    struct Coordinator: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve an ensemble's training jobs to workers, gather their predictions and vote.",
            discussion: """
                Example (the coordinator, then each worker machine):
                  quorum coordinator --bind tcp://0.0.0.0:5555 --members 5 --epochs 10 \\
                    --curve-key keys/coordinator.key --authorized-keys keys/workers \\
                    --model cnn-a --augment random --run-dir runs/x
                  quorum worker --connect tcp://COORDINATOR:5555 --curve-key worker.key \\
                    --server-key coordinator.pub

                Workers that lack the data set get it from the coordinator, checked chunk by chunk with SHA-256. \
                --augment takes one setting for all members, a ';'-separated list (member i takes entry i mod n), or \
                'random' (each member draws its own from a seeded space). Stop with Ctrl-C and continue later with \
                --resume RUN_DIR: members already stored are never trained again.

                Every result is checked before it is stored: a bad one goes to another worker, and a worker with \
                --max-bad-results rejected results is refused for the rest of the run (docs/security.md). Exit status: \
                0 when every member is stored, 3 when the run finished without members that failed for good \
                (summary.json names them; --resume trains them later), 1 on an error or Ctrl-C.
                """)

        @Option(help: "Address to listen on, e.g. tcp://127.0.0.1:5555 or tcp://0.0.0.0:5555.")
        var bind: String = "tcp://127.0.0.1:5555"

        @Flag(
            help: ArgumentHelp(
                "Once no job is left to hand out, let a worker still training use the threads of idle workers on "
                    + "the same machine.",
                discussion: "Workers on one machine are those whose READY names the same host name, so use it only "
                    + "when that is true. Members keep their bits: training gives the same weights at any thread "
                    + "count."))
        var shareIdleCores = false

        @Option(
            help: ArgumentHelp(
                "Where workers fetch the data set's files instead of from this coordinator: an http(s):// URL or a "
                    + "path on a file system the workers share.",
                discussion: "The folder must hold the files under the names this coordinator ships them with; "
                    + "workers check each against the same SHA-256 and ask for chunks when the URL fails "
                    + "(docs/operations.md)."))
        var dataURL: String?

        @OptionGroup var curve: CurveOptions
        @OptionGroup var ensemble: EnsembleOptions
        @OptionGroup var quarantine: QuarantineOptions
        @OptionGroup var training: TrainingOptions

        func validate() throws {
            if curve.curveKey == nil && !curve.insecure && !EndpointScope.isLoopback(bind) {
                throw ValidationError(
                    "--bind \(bind) is reachable from other machines: give --curve-key and --authorized-keys "
                        + "(see 'quorum keygen'), or add --insecure on a network you trust")
            }
            try ensemble.metrics.checkExposure(insecure: curve.insecure)
        }

        func run() throws {
            var server = CoordinatorServerSettings()
            server.dataURL = dataURL
            if let keyFile = curve.curveKey, let folder = curve.authorizedKeys {
                server.curveSecretKey = try KeyFiles.readSecret(keyFile).secretKey
                server.authorizedKeys = try KeyFiles.readAuthorized(folder)
                if !ensemble.quiet {
                    Terminal.log("CURVE on: \(server.authorizedKeys!.count) authorized worker key(s)")
                }
            } else if !EndpointScope.isLoopback(bind) {
                Terminal.log(
                    "warning: --insecure: \(bind) is open without encryption or authentication; anyone who can reach it can join the run and read its data"
                )
            }
            let flow = EnsembleRunFlow(
                training: training, ensemble: ensemble, quarantine: quarantine,
                command: CommandLine.arguments.joined(separator: " "))
            try flow.run(
                endpoint: bind, serverSettings: server, shareIdleCores: shareIdleCores,
                startWorkers: { _, _ in }, stopWorkers: {})
        }
    }
}
