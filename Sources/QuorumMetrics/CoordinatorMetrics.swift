import Foundation
import Prometheus
import QuorumCluster

/// A coordinator's figures in Prometheus text format: gauges for workers, jobs and each running member's
/// speed and epoch, counters for re-queues, missed heartbeats, expiries, handshake refusals, bytes shipped and
/// messages. Each scrape reads the latest `CoordinatorSnapshot` of `monitor`.
public final class CoordinatorMetrics: @unchecked Sendable {
    /// Where the figures come from.
    public let monitor: CoordinatorMonitor
    private let registry = PrometheusCollectorRegistry()
    private let lock = NSLock()
    private var gauges: [String: Gauge] = [:]
    private var counters: [String: (counter: Counter, value: Int)] = [:]
    private var memberGauges: [String: (epoch: Gauge, speed: Gauge)] = [:]

    /// Metrics over `monitor`'s snapshots.
    public init(monitor: CoordinatorMonitor) {
        self.monitor = monitor
    }

    /// The exposition text (format 0.0.4) of the latest snapshot.
    public func render() -> String {
        lock.withLock {
            update(monitor.snapshot)
            return registry.emitToString()
        }
    }

    private func update(_ s: CoordinatorSnapshot) {
        gauge("quorum_workers_connected", "Workers registered now.", Double(s.workers))
        gauge("quorum_jobs_queued", "Jobs waiting for a worker.", Double(s.queued))
        gauge("quorum_jobs_running", "Jobs held by a worker.", Double(s.running))
        gauge("quorum_jobs_done", "Members stored, resumed ones included.", Double(s.done))
        gauge("quorum_jobs_failed", "Members given up for this run.", Double(s.failed))
        gauge("quorum_jobs_total", "Members in the plan.", Double(s.total))
        gauge(
            "quorum_worker_longest_silence_seconds",
            "Longest gap between two messages from one registered worker since the start.",
            s.counters.longestSilence)
        count("quorum_requeues_total", "Jobs put back in the queue.", s.counters.requeuedJobs)
        count(
            "quorum_heartbeats_missed_total", "Times a worker stayed silent for two heartbeat intervals.",
            s.counters.missedHeartbeats)
        count("quorum_workers_expired_total", "Workers expired after the liveness window.", s.counters.expiredWorkers)
        count("quorum_workers_joined_total", "Workers that registered.", s.counters.workersJoined)
        count("quorum_jobs_completed_total", "Members stored in this session.", s.counters.completedJobs)
        count("quorum_results_rejected_total", "Results that failed a check.", s.rejectedResults)
        count("quorum_messages_invalid_total", "Messages that failed to decode.", s.invalidMessages)
        count("quorum_messages_received_total", "Messages received from workers.", s.messagesReceived)
        count("quorum_messages_sent_total", "Messages sent to workers.", s.messagesSent)
        count("quorum_data_bytes_shipped_total", "Data set bytes sent to workers.", s.dataBytesShipped)
        count(
            "quorum_handshake_refusals_total",
            "Connections refused in the handshake (CURVE key not allowed, wrong server key, no keys).",
            s.curveRefusals)
        var running = Set<String>()
        for member in s.members {
            running.insert(member.jobId)
            let pair =
                memberGauges[member.jobId]
                ?? (
                    registry.makeGauge(
                        descriptor: Self.name("quorum_member_epoch", "The epoch a running member is in."),
                        labels: [("member", member.jobId)]),
                    registry.makeGauge(
                        descriptor: Self.name("quorum_member_images_per_second", "A running member's training speed."),
                        labels: [("member", member.jobId)])
                )
            memberGauges[member.jobId] = pair
            pair.epoch.set(Double(member.epoch))
            pair.speed.set(member.imagesPerSecond)
        }
        for (job, pair) in memberGauges where !running.contains(job) {
            registry.unregisterGauge(pair.epoch)
            registry.unregisterGauge(pair.speed)
            memberGauges[job] = nil
        }
    }

    private static func name(_ name: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }

    private func gauge(_ name: String, _ help: String, _ value: Double) {
        let gauge = gauges[name] ?? registry.makeGauge(descriptor: Self.name(name, help))
        gauges[name] = gauge
        gauge.set(value)
    }

    /// Prometheus counters only go up: each scrape adds what the total grew by since the last.
    private func count(_ name: String, _ help: String, _ total: Int) {
        var entry = counters[name] ?? (registry.makeCounter(descriptor: Self.name(name, help)), 0)
        if total > entry.value {
            entry.counter.increment(by: Int64(total - entry.value))
            entry.value = total
        }
        counters[name] = entry
    }
}
