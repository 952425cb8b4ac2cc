import Foundation
import Prometheus

/// The server's Prometheus metrics, in a registry of its own (no process-wide metrics system, so several
/// servers in one process, as in the tests, keep separate counts). `/metrics` emits it in text format.
final class ServeMetrics: Sendable {
    /// The registry `/metrics` emits.
    let registry = PrometheusCollectorRegistry()
    private let imagesVoted: Counter
    private let batchSize: ValueHistogram
    private let modelLoad: Gauge
    private let ready: Gauge

    /// Latency buckets from 1 ms to 10 s.
    private static let latencyBuckets: [Duration] = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000].map {
        .milliseconds($0)
    }

    /// Registers every metric, so `/metrics` lists them from the start.
    init(maxBatch: Int) {
        imagesVoted = registry.makeCounter(descriptor: Self.name("images_voted", "total", "Images voted."))
        var buckets: [Double] = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512].filter { $0 < Double(maxBatch) }
        buckets.append(Double(maxBatch))
        batchSize = registry.makeValueHistogram(
            descriptor: Self.name("batch_size", "images", "Images per engine batch."), buckets: buckets)
        modelLoad = registry.makeGauge(
            descriptor: Self.name("model_load", "seconds", "Time to load the ensemble's members."))
        ready = registry.makeGauge(descriptor: Self.name("ready", "", "1 once the members are loaded."))
    }

    private static func name(_ metric: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(
            namespace: "quorum", subsystem: "serve", metricName: metric, unitName: unit, helpText: help)
    }

    /// Counts one answered request on `route` with `status`, and its latency.
    func request(route: String, status: Int, duration: Duration) {
        registry.makeCounter(
            descriptor: Self.name("requests", "total", "HTTP requests by route and status."),
            labels: [("route", route), ("status", String(status))]
        ).increment()
        registry.makeDurationHistogram(
            descriptor: Self.name("request_duration", "seconds", "Time from request to response, by route."),
            labels: [("route", route)], buckets: Self.latencyBuckets
        ).record(duration)
    }

    /// Records one engine batch of `images`.
    func batch(images: Int) {
        batchSize.record(Double(images))
        imagesVoted.increment(by: Int64(images))
    }

    /// Records that the members took `seconds` to load and are ready.
    func loaded(seconds: Double) {
        modelLoad.set(to: seconds)
        ready.set(to: 1)
    }

    /// The text exposition format.
    func text() -> [UInt8] { registry.emitToBuffer() }
}
