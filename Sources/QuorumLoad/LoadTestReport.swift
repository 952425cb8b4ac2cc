/// What a load test saw from the workers' side. Times are seconds.
public struct LoadTestReport: Codable, Sendable, Equatable {
    /// Simulated workers started.
    public var workers: Int = 0
    /// JOBs received (a re-queued job counts again).
    public var jobsReceived = 0
    /// RESULTs sent, good and bad.
    public var resultsSent = 0
    /// RESULTs sent on purpose with probabilities that fail the coordinator's checks.
    public var badResultsSent = 0
    /// REJECTED messages received.
    public var rejected = 0
    /// Workers that vanished mid-job on purpose.
    public var vanished = 0
    /// Workers the coordinator refused for the rest of the run (a DISCONNECT after too many bad results).
    public var refused = 0
    /// Workers that heard `run complete`.
    public var finished = 0
    /// Times a live worker heard nothing from the coordinator for the liveness window and reconnected: each
    /// means the coordinator expired (or would have expired) a worker that was alive.
    public var silentReconnects = 0
    /// The longest wait, over every live worker, between two messages from the coordinator.
    public var longestCoordinatorSilence = 0.0
    /// For each job whose holder vanished: seconds from the vanishing to the job's JOB reaching another worker.
    public var requeueSeconds: [Double] = []
    /// Messages and bytes the workers sent and received.
    public var messagesSent = 0
    public var messagesReceived = 0
    public var bytesSent = 0
    public var bytesReceived = 0
    /// Wall time of the test.
    public var seconds = 0.0

    /// The report as aligned text lines.
    public func lines() -> [String] {
        let requeue =
            requeueSeconds.isEmpty
            ? "none measured" : String(format: "max %.2f s over %d job(s)", requeueSeconds.max()!, requeueSeconds.count)
        return [
            "workers \(workers), finished \(finished), vanished \(vanished), refused \(refused)",
            "jobs received \(jobsReceived), results sent \(resultsSent) (\(badResultsSent) bad), rejected \(rejected)",
            String(
                format: "jobs/s %.2f over %.1f s; messages sent %d, received %d",
                Double(resultsSent) / max(seconds, 1e-9), seconds, messagesSent, messagesReceived),
            String(format: "bytes sent %d, received %d", bytesSent, bytesReceived),
            String(
                format: "longest coordinator silence at a live worker %.3f s; silent reconnects %d",
                longestCoordinatorSilence, silentReconnects),
            "re-queue after a vanished worker: \(requeue)"
        ]
    }
}
