import ArgumentParser
import Foundation
import Logging
import QuorumCluster
import QuorumCore
import QuorumRun

extension Quorum {
    /// `quorum worker`: trains the jobs a coordinator hands out, until it says the run is over.
    struct Worker: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Connect to a coordinator and train the ensemble members it sends.",
            discussion: """
                Example:
                  quorum worker --connect tcp://10.0.0.5:5555

                The worker heartbeats while it trains, reconnects with back-off when the coordinator goes away, and \
                on SIGTERM or Ctrl-C reports its job as failed (so it is handed to another worker) and exits. Each \
                job trains with the thread count the plan gives, so a job re-run elsewhere gives the same bits. A job \
                or data set manifest that breaks this worker's limits (layer sizes, parameters, classes, file names \
                and sizes) is answered with FAILED, and the worker waits for the next job.
                """)

        @Option(help: "The coordinator's address, e.g. tcp://HOST:5555.")
        var connect: String

        @Option(
            help: """
                Compute threads for every job instead of the plan's thread count (results then differ in the last \
                bits).
                """)
        var threads: Int?

        @Option(help: "A name for this worker in the coordinator's table (default: host name and pid).")
        var name: String?

        @OptionGroup var heartbeats: HeartbeatOptions

        @OptionGroup var curveKeys: WorkerCurveOptions

        @Option(
            help: """
                Seconds of failing handshakes (a refused CURVE key, a wrong server key, or no keys against a \
                coordinator that requires CURVE) after which the worker gives up with an error.
                """)
        var handshakeTimeout: Double = 10

        @Option(help: "Where data sets shipped by the coordinator are kept (default: ~/.cache/quorum).")
        var cacheDir: String?

        @Option(help: "Exit when the process with this pid is gone (used by 'quorum local').")
        var parentPid: Int32?

        @Flag(help: "Log only errors.")
        var quiet = false

        func validate() throws {
            if let t = threads, !(1...256).contains(t) { throw ValidationError("--threads must be between 1 and 256") }
            guard handshakeTimeout > 0 else { throw ValidationError("--handshake-timeout must be > 0") }
        }

        func run() throws {
            let host = ProcessInfo.processInfo.hostName
            let label = name ?? "\(host)-\(getpid())"
            let cache = DatasetCache(root: cacheDir.map { URL(fileURLWithPath: $0) } ?? DatasetCache.defaultRoot)
            let info = ReadyHeader(
                version: Quorum.configuration.version, host: label,
                cores: ProcessInfo.processInfo.activeProcessorCount, threads: threads ?? 1,
                isa: ComputeEngine.oneDNNInstructionSet, datasets: cache.heldDatasets(),
                machine: host)
            var logger = Logger(label: "quorum.worker")
            logger[metadataKey: "worker"] = .string(label)
            logger.logLevel = quiet ? .error : .info
            let runner = TrainingJobRunner(threadOverride: threads, logger: logger)
            var settings = WorkerSettings(
                heartbeatInterval: heartbeats.heartbeat, liveness: heartbeats.liveness,
                handshakeTimeout: handshakeTimeout, dataCache: cache)
            if let keys = try curveKeys.keys() {
                settings.curveKeys = keys.worker
                settings.curveServerKey = keys.server
            } else if !EndpointScope.isLoopback(connect) {
                logger.warning("connecting to \(connect) without CURVE: traffic is neither encrypted nor authenticated")
            }
            let client = try WorkerClient(
                endpoint: connect, info: info, settings: settings, logger: logger,
                runner: runner)
            runner.fetcher = client.datasets
            runner.onProgress = { job, p in
                if !quiet, let e = p.finishedEpoch {
                    Terminal.log(
                        "[\(label)] \(PeerText.escaped(job)) epoch \(e.epoch)/\(p.epochs) loss \(String(format: "%.4f", e.trainLoss)) \(Int(e.imagesPerSecond)) img/s"
                    )
                }
            }
            let trap = SignalTrap { _ in client.requestStop() }
            var watcher: Thread?
            if let parent = parentPid {
                let watch = ParentWatch(parentPID: parent)
                watcher = Thread {
                    while watch.parentAlive { Thread.sleep(forTimeInterval: 0.5) }
                    client.requestStop()
                }
                watcher?.start()
            }
            let exit: WorkerExit
            do { exit = try client.run() } catch let error as WorkerError {
                logger.error("\(error)")
                throw ExitCode.failure
            }
            withExtendedLifetime(trap) {}
            switch exit {
            case .disconnected(let reason):
                if !quiet {
                    Terminal.log(
                        "[\(label)] coordinator ended the run\(reason.map { ": \(PeerText.escaped($0))" } ?? "")")
                }
            case .stopped: if !quiet { Terminal.log("[\(label)] stopped") }
            }
        }
    }
}
