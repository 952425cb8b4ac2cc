import ArgumentParser
import Foundation
import QuorumCluster
import QuorumMetrics

/// `--metrics` and `--metrics-token-file`, on `coordinator` and `local`: a Prometheus endpoint for the run.
struct MetricsOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Serve the run's metrics in Prometheus text format at http://HOST:PORT/metrics, e.g. 127.0.0.1:9464.",
            discussion: "Workers, queued, running, done and failed jobs, re-queues, missed heartbeats, refused "
                + "handshakes, bytes shipped, and each running member's epoch and speed (docs/operations.md)."))
    var metrics: String?

    @Option(help: "A file holding the bearer token scrapes must send; needed for an address other machines reach.")
    var metricsTokenFile: String?

    /// Throws unless an address reachable from other machines has a token, or `insecure` allows it.
    func checkExposure(insecure: Bool) throws {
        guard let metrics, metricsTokenFile == nil, !insecure else { return }
        if !EndpointScope.isLoopback("tcp://" + metrics) {
            throw ValidationError(
                "--metrics \(metrics) is reachable from other machines: give --metrics-token-file, or bind "
                    + "127.0.0.1")
        }
    }

    /// Starts the endpoint over `monitor` when `--metrics` was given; the caller closes it.
    func start(monitor: CoordinatorMonitor) throws -> MetricsListener? {
        guard let metrics else { return nil }
        var token: String?
        if let file = metricsTokenFile {
            guard let text = FileManager.default.contents(atPath: file).map({ String(decoding: $0, as: UTF8.self) })
            else { throw ValidationError("--metrics-token-file \(file): cannot read the file") }
            token = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard token?.isEmpty == false else { throw ValidationError("--metrics-token-file \(file) is empty") }
        }
        let coordinator = CoordinatorMetrics(monitor: monitor)
        return try MetricsListener(address: metrics, token: token, render: { coordinator.render() })
    }
}
