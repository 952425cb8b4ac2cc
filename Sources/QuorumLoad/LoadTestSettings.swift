import QuorumCluster

/// What a load test simulates: how many workers connect where, how long their jobs take, and which of them
/// misbehave.
public struct LoadTestSettings: Sendable {
    /// The coordinator's endpoint, e.g. `tcp://127.0.0.1:5555`.
    public var endpoint: String
    /// Simulated workers: one DEALER connection each.
    public var workers: Int
    /// Seconds from a JOB to its RESULT (PROGRESS once a second meanwhile).
    public var jobSeconds: Double
    /// Test rows every RESULT must carry; nil takes whatever the job's test set holds. A job whose test set
    /// has another size stops the test with an error, since its results would all be rejected.
    public var resultRows: Int?
    /// Seconds between heartbeats, as the coordinator's `--heartbeat`.
    public var heartbeatInterval: Double
    /// Heartbeat intervals of coordinator silence after which a simulated worker reconnects, as `--liveness`.
    public var liveness: Int
    /// Share of the workers (0...1, the first ones) that vanish halfway through their first job without a word.
    public var vanishShare: Double
    /// Share of the workers (0...1, after those that vanish) whose RESULTs fail the coordinator's checks.
    public var badShare: Double
    /// The coordinator's CURVE public key and the key pair every simulated worker presents; nil: no CURVE.
    public var curve: LoadTestCurve?
    /// Seconds after which the test stops whatever the run's state; nil: until the coordinator ends the run.
    public var duration: Double?

    /// Settings for `workers` workers at `endpoint`, 5-second jobs, 1 s heartbeats, liveness 3, all well-behaved.
    public init(
        endpoint: String, workers: Int, jobSeconds: Double = 5, resultRows: Int? = nil,
        heartbeatInterval: Double = 1, liveness: Int = 3, vanishShare: Double = 0, badShare: Double = 0,
        curve: LoadTestCurve? = nil, duration: Double? = nil
    ) {
        self.endpoint = endpoint
        self.workers = workers
        self.jobSeconds = jobSeconds
        self.resultRows = resultRows
        self.heartbeatInterval = heartbeatInterval
        self.liveness = liveness
        self.vanishShare = vanishShare
        self.badShare = badShare
        self.curve = curve
        self.duration = duration
    }

    /// Throws unless every count, share and duration is in range.
    public func validate() throws {
        func bad(_ field: String, _ problem: String) -> LoadTestError {
            .invalidSetting(field: field, problem: problem)
        }
        guard workers >= 1 else { throw bad("workers", "must be ≥ 1, got \(workers)") }
        guard jobSeconds >= 0, jobSeconds.isFinite else { throw bad("job-seconds", "must be ≥ 0, got \(jobSeconds)") }
        guard heartbeatInterval > 0, heartbeatInterval.isFinite else {
            throw bad("heartbeat", "must be > 0, got \(heartbeatInterval)")
        }
        guard liveness >= 1 else { throw bad("liveness", "must be ≥ 1, got \(liveness)") }
        if let rows = resultRows, rows < 1 { throw bad("result-rows", "must be ≥ 1, got \(rows)") }
        for (field, share) in [("vanish-share", vanishShare), ("bad-share", badShare)] where !(0...1).contains(share) {
            throw bad(field, "must be within 0...1, got \(share)")
        }
        guard vanishShare + badShare <= 1 else {
            throw bad("bad-share", "vanish-share + bad-share must be ≤ 1, got \(vanishShare + badShare)")
        }
        if let duration, !(duration > 0) { throw bad("duration", "must be > 0, got \(duration)") }
    }

    /// What worker `index` does: the first `vanishShare` vanish, the next `badShare` send bad results.
    func behaviour(of index: Int) -> SimulatedWorker.Behaviour {
        let vanishing = Int((vanishShare * Double(workers)).rounded())
        let bad = Int((badShare * Double(workers)).rounded())
        if index < vanishing { return .vanishes }
        if index < vanishing + bad { return .sendsBadResults }
        return .steady
    }
}

/// CURVE settings of a load test: the coordinator's public key and the pair the simulated workers present.
public struct LoadTestCurve: Sendable {
    /// The coordinator's public key (Z85).
    public var serverKey: String
    /// The workers' key pair; a coordinator with an allow-list must list its public half.
    public var keys: CurveKeyPair

    /// CURVE with `keys` against a coordinator whose public key is `serverKey`.
    public init(serverKey: String, keys: CurveKeyPair) {
        self.serverKey = serverKey
        self.keys = keys
    }
}
