import ArgumentParser
import Foundation
import Logging
import QuorumCluster
import QuorumLoad

extension Quorum {
    /// `quorum loadtest`: many simulated workers in one process against a coordinator, to measure it at scale.
    struct LoadTest: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "loadtest",
            abstract: "Connect many simulated workers to a coordinator and report what they saw.",
            discussion: """
                Example (a coordinator on small data, then a thousand simulated workers):
                  quorum coordinator --members 5000 --epochs 1 --model 'flatten dense(10)' --train-limit 1000 \\
                    --test-limit 10000 --quiet --run-dir runs/scale
                  quorum loadtest --connect tcp://127.0.0.1:5555 --workers 1000 --job-seconds 30

                Each simulated worker is one connection speaking the wire protocol: READY, heartbeats, PROGRESS once \
                a second, and after --job-seconds a RESULT that passes the coordinator's checks (a member of the \
                job's settings, trained once here and sent for every job). The test ends when the coordinator ends \
                the run, or after --duration seconds. scripts/scale.sh runs it at several sizes (docs/scaling.md).
                """)

        @Option(help: "The coordinator's address, e.g. tcp://127.0.0.1:5555.")
        var connect: String

        @Option(help: "Simulated workers (one connection each).")
        var workers: Int

        @Option(help: "Seconds from a job to its result.")
        var jobSeconds: Double = 5

        @Option(
            help: ArgumentHelp(
                "Test rows every result carries.",
                discussion: "The job's test set must have this many (the coordinator's --test-limit); default: "
                    + "whatever it has."))
        var resultRows: Int?

        @Option(help: "Share of the workers (0 to 1) that vanish halfway through their first job.")
        var vanishShare: Double = 0

        @Option(help: "Share of the workers (0 to 1) whose results fail the coordinator's checks.")
        var badShare: Double = 0

        @Option(help: "Stop after this many seconds (default: when the coordinator ends the run).")
        var duration: Double?

        @OptionGroup var heartbeats: HeartbeatOptions

        @OptionGroup var curveKeys: WorkerCurveOptions

        @Flag(help: "Print the report as one JSON object.")
        var json = false

        func validate() throws {
            do { try settings(curve: nil).validate() } catch { throw ValidationError("\(error)") }
        }

        private func settings(curve: LoadTestCurve?) -> LoadTestSettings {
            LoadTestSettings(
                endpoint: connect, workers: workers, jobSeconds: jobSeconds, resultRows: resultRows,
                heartbeatInterval: heartbeats.heartbeat, liveness: heartbeats.liveness, vanishShare: vanishShare,
                badShare: badShare, curve: curve, duration: duration)
        }

        func run() throws {
            let curve = try curveKeys.keys().map { LoadTestCurve(serverKey: $0.server, keys: $0.worker) }
            var logger = Logger(label: "quorum.loadtest")
            logger.logLevel = json ? .warning : .info
            let generator = try LoadGenerator(settings: settings(curve: curve), logger: logger)
            let trap = SignalTrap { _ in generator.requestStop() }
            let report = try generator.run()
            withExtendedLifetime(trap) {}
            if json {
                let encoder = JSONEncoder()
                encoder.keyEncodingStrategy = .convertToSnakeCase
                encoder.outputFormatting = [.sortedKeys]
                print(String(decoding: try encoder.encode(report), as: UTF8.self))
            } else {
                for line in report.lines() { print(line) }
            }
        }
    }
}
