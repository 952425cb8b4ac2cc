import Foundation
import Logging

/// The coordinator's whole scheduling logic, without sockets or clocks: fed decoded messages and the
/// time, it answers with actions for the socket loop to carry out.
///
/// Keeping it free of I/O lets tests drive every rule (assignment order, heartbeats, expiry, retries,
/// duplicates, quarantine) with fake time, and keeps the socket loop thin. Not thread-safe: one loop owns it.
///
/// No worker can end the run: a RESULT that fails the `verifier` is rejected and its job handed to another
/// worker; a job that fails for good is left out and the run finishes with the members it has.
///
/// A job handed out again (its holder died, failed or was rejected) goes to a worker with the instruction set
/// of its first holder while one that may take it is registered, so the member has the bits it would have had;
/// when none is, it runs elsewhere and `.otherInstructionSet` says so once it completes.
public final class CoordinatorStateMachine {
    /// Where the run stands.
    public enum Phase: Equatable, Sendable {
        /// Jobs remain.
        case running
        /// Every job completed.
        case complete
        /// Every job completed or failed for good; the map names each failed job and why.
        case incomplete([String: String])
    }

    private struct JobRecord {
        let planned: PlannedJob
        let config: JSONValue
        var attempt = 1
        var failures = 0
        var completed = false
        var failed: String?
        /// Whether the job was ever handed out in this session.
        var handedOut = false
        /// The instruction set (READY's `isa`) of the job's first holder, when it named one: oneDNN's kernels for
        /// another instruction set give other bits, so a re-run goes to a worker with this one when there is one.
        var isa: String?
        /// The workers (by `key`) whose RESULT for this job was rejected.
        var rejectedBy: Set<String> = []
        var isOpen: Bool { !completed && failed == nil }
    }

    private struct WorkerRecord {
        var info: ReadyHeader
        var peer: PeerInfo
        var jobId: String?
        var lastSeen: Double
        var lastProgress: ProgressHeader?
        /// The thread count last granted for the job held (HEARTBEAT's `threads`); nil: the job's own.
        var granted: Int?
        /// Whether this silence already counted as a missed heartbeat.
        var late = false
    }

    /// Timing and retry rules.
    public let settings: CoordinatorSettings
    /// Where the run stands.
    public private(set) var phase: Phase = .running
    /// Checks each RESULT before its job counts as complete (nil accepts every well-formed RESULT). Gets the
    /// job id, the result and the sender's status.
    public var verifier: ((String, ResultMessage, WorkerStatus) -> ResultVerdict)?

    private let order: [String]
    private var jobs: [String: JobRecord] = [:]
    private var queue: [String] = []
    private var workers: [WorkerID: WorkerRecord] = [:]
    private var workerOrder: [WorkerID] = []
    private var nextHeartbeat: Double?
    private var invalidCount = 0
    private var droppedCount = 0
    private var rejectedCount = 0
    /// Rejected results per worker key.
    private var badResults: [String: Int] = [:]
    /// Refused worker keys and why.
    private var refused: [String: String] = [:]
    private var limiter: LogLimiter
    /// Jobs neither complete nor given up: the run ends at zero (counted, so no message scans the plan).
    private var openJobs = 0
    /// Whether a worker may have become free or a job queued since the last hand-out: hand-outs scan the
    /// workers only then, not on every heartbeat and PROGRESS.
    private var assignmentDue = true
    /// When `tick` next looks for silent workers: a tenth of an interval apart, not on every poll.
    private var nextExpiryCheck = -Double.infinity
    /// Running totals for the operator (metrics) and the scaling measurements.
    public private(set) var counters = CoordinatorCounters()

    /// A state machine for `plan`, skipping the jobs in `completed` (resume), with `settings`.
    public init(plan: [PlannedJob], completed: Set<String> = [], settings: CoordinatorSettings = CoordinatorSettings())
        throws
    {
        guard settings.heartbeatInterval > 0, settings.heartbeatInterval.isFinite else {
            throw CoordinatorError.invalidSetting(
                field: "heartbeatInterval", problem: "must be > 0, got \(settings.heartbeatInterval)")
        }
        guard settings.liveness >= 1 else {
            throw CoordinatorError.invalidSetting(field: "liveness", problem: "must be ≥ 1, got \(settings.liveness)")
        }
        guard settings.maxAttempts >= 1 else {
            throw CoordinatorError.invalidSetting(
                field: "maxAttempts", problem: "must be ≥ 1, got \(settings.maxAttempts)")
        }
        guard settings.maxBadResults >= 1 else {
            throw CoordinatorError.invalidSetting(
                field: "maxBadResults",
                problem: "must be ≥ 1, got \(settings.maxBadResults)")
        }
        guard settings.logInterval >= 0, settings.logInterval.isFinite else {
            throw CoordinatorError.invalidSetting(
                field: "logInterval",
                problem: "must be ≥ 0, got \(settings.logInterval)")
        }
        self.settings = settings
        limiter = LogLimiter(interval: settings.logInterval)
        let sorted = plan.enumerated().sorted {
            ($0.element.memberIndex, $0.offset) < ($1.element.memberIndex, $1.offset)
        }.map(\.element)
        order = sorted.map(\.jobId)
        for job in sorted {
            guard jobs[job.jobId] == nil else { throw CoordinatorError.duplicateJobId(job.jobId) }
            guard !job.jobId.isEmpty else {
                throw CoordinatorError.invalidJob(jobId: job.jobId, field: "jobId", problem: "must not be empty")
            }
            guard job.threads >= 1 else {
                throw CoordinatorError.invalidJob(
                    jobId: job.jobId, field: "threads", problem: "must be ≥ 1, got \(job.threads)")
            }
            guard job.memberIndex >= 0 else {
                throw CoordinatorError.invalidJob(
                    jobId: job.jobId, field: "memberIndex", problem: "must be ≥ 0, got \(job.memberIndex)")
            }
            let config: JSONValue
            do { config = try JSONValue(data: job.config) } catch {
                throw CoordinatorError.invalidConfig(jobId: job.jobId, problem: "is not valid UTF-8 JSON")
            }
            guard config.isObject else {
                throw CoordinatorError.invalidConfig(jobId: job.jobId, problem: "is not an object")
            }
            var record = JobRecord(planned: job, config: config)
            record.completed = completed.contains(job.jobId)
            jobs[job.jobId] = record
            if !record.completed {
                queue.append(job.jobId)
                openJobs += 1
            }
        }
    }

    /// Whether the run is over (complete or incomplete).
    public var isFinished: Bool { phase != .running }

    /// A snapshot for the live table.
    public var status: CoordinatorStatus {
        CoordinatorStatus(
            workers: workerOrder.compactMap { workerStatus($0) },
            queued: queue,
            completed: order.filter { jobs[$0]?.completed == true },
            total: order.count, invalidMessages: invalidCount, droppedMessages: droppedCount,
            rejectedResults: rejectedCount,
            failedJobs: jobs.compactMapValues(\.failed),
            refusedWorkers: refused)
    }

    /// The host a registered worker announced, without building the whole `status`.
    public func host(of worker: WorkerID) -> String? { workers[worker]?.info.host }

    /// Whether `worker` is registered (sent READY and was not expired, refused or disconnected since).
    public func isRegistered(_ worker: WorkerID) -> Bool { workers[worker] != nil }

    /// Workers registered now.
    public var workerCount: Int { workers.count }

    /// Jobs waiting in the queue.
    public var queuedCount: Int { queue.count }

    /// Jobs held by a worker now.
    public var runningCount: Int { workers.values.filter { $0.jobId != nil }.count }

    /// The machine's part of an operator's snapshot: workers, job counts, running totals and running members.
    /// O(workers), without a pass over the plan.
    public func snapshot() -> CoordinatorSnapshot {
        var snapshot = CoordinatorSnapshot()
        snapshot.counters = counters
        snapshot.workers = workers.count
        snapshot.queued = queue.count
        snapshot.failed = counters.failedJobs
        snapshot.done = order.count - openJobs - counters.failedJobs
        snapshot.total = order.count
        snapshot.rejectedResults = rejectedCount
        snapshot.invalidMessages = invalidCount
        for id in workerOrder {
            guard let w = workers[id], let jobId = w.jobId else { continue }
            snapshot.running += 1
            if let p = w.lastProgress {
                snapshot.members.append(.init(jobId: jobId, epoch: p.epoch, imagesPerSecond: p.imagesPerSecond))
            }
        }
        return snapshot
    }

    private func workerStatus(_ id: WorkerID) -> WorkerStatus? {
        guard let w = workers[id] else { return nil }
        return WorkerStatus(
            id: id, host: w.info.host, threads: w.info.threads, isa: w.info.isa, jobId: w.jobId,
            attempt: w.jobId.flatMap { jobs[$0]?.attempt }, lastProgress: w.lastProgress,
            lastSeen: w.lastSeen, peer: w.peer)
    }

    // MARK: inputs

    /// Reacts to one valid message from a worker at `time` (seconds on a monotonic clock); `peer` holds what
    /// the transport knows about the connection (its CURVE key names the worker across reconnections).
    public func handle(
        _ message: ProtocolMessage, from worker: WorkerID, peer: PeerInfo = PeerInfo(),
        at time: Double
    ) -> [CoordinatorAction] {
        startClock(time)
        guard phase == .running else {
            return [.log(.debug, "\(message.command.rawValue) from \(worker) ignored: the run is over")]
        }
        var actions: [CoordinatorAction] = []
        let key = Self.key(worker, peer)
        if let why = refused[key] {
            droppedCount += 1
            if case .ready = message {
                actions.append(.send(worker, .disconnect(DisconnectHeader(reason: "refused for this run: \(why)"))))
            }
            warn(
                key, "\(message.command.rawValue) from refused worker \(describe(worker, peer)) dropped",
                at: time, &actions)
            return actions
        }
        if case .ready(let info) = message {
            register(worker, info, peer, at: time, &actions)
        } else if workers[worker] == nil {
            droppedCount += 1
            warn(
                key,
                "\(message.command.rawValue) from unregistered worker \(worker) dropped; "
                    + "it must send READY first", at: time, &actions)
        } else {
            heard(worker, at: time)
            switch message {
            case .ready: break
            case .heartbeat: break
            case .job, .dataManifest, .dataChunk, .rejected:
                droppedCount += 1
                warn(
                    key, "\(message.command.rawValue) from worker \(worker) dropped: only the coordinator sends it",
                    at: time, &actions)
            case .dataRequest(let request):
                actions.append(.serveData(worker, request))
            case .progress(let p):
                if holds(worker, p.jobId, "PROGRESS", at: time, &actions) {
                    workers[worker]?.lastProgress = p
                    actions.append(.progress(worker, p))
                }
            case .result(let r):
                accept(r, from: worker, at: time, &actions)
            case .failed(let f):
                if holds(worker, f.jobId, "FAILED", at: time, &actions) { fail(f, from: worker, &actions) }
            case .disconnect(let d):
                actions.append(.log(.info, "worker \(worker) disconnected" + (d.reason.map { ": \($0)" } ?? "")))
                remove(worker, &actions)
            }
        }
        finishStep(at: time, &actions)
        return actions
    }

    /// Records a message from `worker` that failed to decode: counted, logged (one line per peer per log
    /// interval) and otherwise ignored; it does not even count as a sign of life. A broken RESULT (`command`
    /// is RESULT) from a worker holding a job is that job's result, unless its header names another job
    /// (`jobId`, when readable): it is rejected like one that fails a check.
    public func handleInvalid(
        from worker: WorkerID, error: Error, command: Command? = nil, jobId named: String? = nil,
        peer: PeerInfo = PeerInfo(), at time: Double
    ) -> [CoordinatorAction] {
        startClock(time)
        invalidCount += 1
        var actions: [CoordinatorAction] = []
        let key = Self.key(worker, peer)
        if phase == .running, command == .result, refused[key] == nil, let jobId = workers[worker]?.jobId,
            named == nil || named == jobId
        {
            heard(worker, at: time)
            reject(jobId, from: worker, reason: "the RESULT is malformed: \(error)", &actions)
            finishStep(at: time, &actions)
            return actions
        }
        warn(key, "invalid message from \(worker) dropped: \(error)", at: time, &actions)
        return actions
    }

    /// Advances time: expires silent workers, sends heartbeats when due, hands out queued jobs, and sums up
    /// warnings held back by the log limiter.
    public func tick(at time: Double) -> [CoordinatorAction] {
        startClock(time)
        var actions: [CoordinatorAction] = limiter.flush(at: time).map { .log(.warning, $0) }
        guard phase == .running else { return actions }
        if time >= nextExpiryCheck {
            nextExpiryCheck = time + settings.heartbeatInterval / 10
            expire(at: time, &actions)
        }
        if let due = nextHeartbeat, time >= due {
            for id in workerOrder {
                actions.append(.send(id, .heartbeat(HeartbeatHeader(threads: workers[id]?.granted))))
            }
            nextHeartbeat = time + settings.heartbeatInterval
        }
        finishStep(at: time, &actions)
        return actions
    }

    /// Counts a message from `worker` that the socket loop has received but handles later (a RESULT waiting
    /// its turn) as a sign of life at `time`.
    public func noteAlive(_ worker: WorkerID, at time: Double) {
        if phase == .running { heard(worker, at: time) }
    }

    /// Whether `tick(at: time)` would expire a worker: the socket loop then first handles every message
    /// waiting, so a worker whose heartbeat is queued behind a burst of results is not taken for dead.
    public func expiryDue(at time: Double) -> Bool {
        guard phase == .running, time >= nextExpiryCheck else { return false }
        return workers.values.contains { time - $0.lastSeen >= settings.expiry }
    }

    // MARK: rules

    /// Notes a sign of life from a registered worker, and the longest silence seen.
    private func heard(_ worker: WorkerID, at time: Double) {
        guard let seen = workers[worker]?.lastSeen else { return }
        counters.longestSilence = max(counters.longestSilence, time - seen)
        workers[worker]?.lastSeen = time
        workers[worker]?.late = false
    }

    /// Expires workers silent for `expiry`, and counts those that missed a heartbeat (silent two intervals).
    private func expire(at time: Double, _ actions: inout [CoordinatorAction]) {
        for id in workerOrder {
            guard let w = workers[id] else { continue }
            let silence = time - w.lastSeen
            if silence >= 2 * settings.heartbeatInterval && !w.late {
                workers[id]?.late = true
                counters.missedHeartbeats += 1
            }
            guard silence >= settings.expiry else { continue }
            counters.expiredWorkers += 1
            actions.append(
                .log(
                    .warning,
                    "worker \(id) (\(w.info.host)) silent for \(String(format: "%.1f", silence)) s: expired"
                        + (w.jobId.map { "; job \($0) goes back to the queue" } ?? "")))
            remove(id, &actions)
        }
    }

    /// What names a worker across reconnections: its CURVE key when it has one, else its routing id.
    static func key(_ worker: WorkerID, _ peer: PeerInfo) -> String {
        peer.curveKey.map { "key \($0)" } ?? "\(worker)"
    }

    private func describe(_ worker: WorkerID, _ peer: PeerInfo) -> String {
        var text = "\(worker)"
        if let host = workers[worker]?.info.host { text += " (\(host))" }
        if let address = peer.address { text += " at \(address)" }
        if let key = peer.curveKey { text += " with key \(key)" }
        return text
    }

    private func warn(_ key: String, _ line: String, at time: Double, _ actions: inout [CoordinatorAction]) {
        if let line = limiter.note(key, line, at: time) { actions.append(.log(.warning, line)) }
    }

    private func startClock(_ time: Double) {
        if nextHeartbeat == nil { nextHeartbeat = time + settings.heartbeatInterval }
    }

    private func register(
        _ worker: WorkerID, _ info: ReadyHeader, _ peer: PeerInfo, at time: Double,
        _ actions: inout [CoordinatorAction]
    ) {
        assignmentDue = true
        if let old = workers[worker] {
            if let jobId = old.jobId {
                actions.append(
                    .log(
                        .warning,
                        "worker \(worker) announced itself again while holding job \(jobId): the job goes back to the queue"
                    ))
                requeue(jobId)
            }
            workers[worker] = WorkerRecord(info: info, peer: peer, jobId: nil, lastSeen: time)
        } else {
            workers[worker] = WorkerRecord(info: info, peer: peer, jobId: nil, lastSeen: time)
            workerOrder.append(worker)
            counters.workersJoined += 1
            actions.append(
                .log(
                    .info,
                    "worker \(describe(worker, peer)) ready: \(info.threads) thread(s) of "
                        + "\(info.cores) core(s), instruction set \(info.isa ?? "unknown"), "
                        + "version \(info.version)"))
        }
    }

    /// Whether `worker` holds `jobId`; if not, the message is dropped with a log line.
    private func holds(
        _ worker: WorkerID, _ jobId: String, _ what: String, at time: Double,
        _ actions: inout [CoordinatorAction]
    ) -> Bool {
        if workers[worker]?.jobId == jobId { return true }
        droppedCount += 1
        warn(
            "\(worker)", "\(what) for job \(jobId) from worker \(worker) dropped: that worker does not hold the job",
            at: time, &actions)
        return false
    }

    private func accept(
        _ result: ResultMessage, from worker: WorkerID, at time: Double,
        _ actions: inout [CoordinatorAction]
    ) {
        let jobId = result.header.jobId
        if jobs[jobId]?.completed == true {
            droppedCount += 1
            actions.append(
                .log(
                    .info,
                    "RESULT for job \(jobId) from worker \(worker) dropped: the job is already complete (late duplicate)"
                ))
            if workers[worker]?.jobId == jobId {
                workers[worker]?.jobId = nil
                assignmentDue = true
            }
            return
        }
        guard holds(worker, jobId, "RESULT", at: time, &actions), let status = workerStatus(worker) else { return }
        if case .rejected(let reason) = verifier?(jobId, result, status) ?? .accepted {
            reject(jobId, from: worker, reason: reason, &actions)
            return
        }
        jobs[jobId]?.completed = true
        openJobs -= 1
        counters.completedJobs += 1
        workers[worker]?.jobId = nil
        workers[worker]?.lastProgress = nil
        assignmentDue = true
        actions.append(
            .log(
                .info,
                "job \(jobId) completed by worker \(worker): validation accuracy \(String(format: "%.4f", result.header.validationAccuracy))"
            ))
        actions.append(.completed(jobId: jobId, result: result))
        if let first = jobs[jobId]?.isa, status.isa != first {
            actions.append(
                .otherInstructionSet(
                    jobId: jobId, worker: worker, host: status.host, isa: status.isa,
                    firstISA: first))
        }
    }

    /// Refuses the RESULT `worker` sent for the job it holds: tells it why, re-queues the job for another
    /// worker, and refuses the worker once it has sent `maxBadResults` bad results.
    private func reject(_ jobId: String, from worker: WorkerID, reason: String, _ actions: inout [CoordinatorAction]) {
        guard let record = workers[worker] else { return }
        let key = Self.key(worker, record.peer)
        rejectedCount += 1
        assignmentDue = true
        let count = (badResults[key] ?? 0) + 1
        badResults[key] = count
        let refuse = count >= settings.maxBadResults
        workers[worker]?.jobId = nil
        workers[worker]?.lastProgress = nil
        jobs[jobId]?.rejectedBy.insert(key)
        let header = RejectedHeader(jobId: jobId, reason: reason, badResults: count, refused: refuse)
        actions.append(.send(worker, .rejected(header)))
        actions.append(
            .log(
                .warning,
                "RESULT for job \(jobId) from worker \(describe(worker, record.peer)) rejected "
                    + "(\(count) of \(settings.maxBadResults) allowed): \(reason)"))
        actions.append(.rejected(jobId: jobId, worker: worker, host: record.info.host, reason: reason))
        countFailure(jobId, "its results were rejected \(settings.maxAttempts) time(s); last: \(reason)", &actions)
        if refuse {
            let why = "\(count) rejected result(s); last: \(reason)"
            refused[key] = why
            let bye = DisconnectHeader(reason: "refused for this run: \(count) rejected result(s)")
            actions.append(.send(worker, .disconnect(bye)))
            actions.append(
                .log(
                    .warning,
                    "worker \(describe(worker, record.peer)) refused for the rest of the run: "
                        + why))
            actions.append(.refused(worker: worker, host: record.info.host, reason: why))
            remove(worker, &actions)
        }
    }

    private func fail(_ failure: FailedHeader, from worker: WorkerID, _ actions: inout [CoordinatorAction]) {
        let jobId = failure.jobId
        guard jobs[jobId] != nil else { return }
        workers[worker]?.jobId = nil
        workers[worker]?.lastProgress = nil
        assignmentDue = true
        let host = workers[worker]?.info.host ?? "?"
        if !failure.retryable {
            markFailed(
                jobId,
                "failed on worker \(worker) (\(host)) with an error that cannot be retried: "
                    + failure.error, &actions)
            return
        }
        if (jobs[jobId]?.failures ?? 0) + 1 < settings.maxAttempts {
            let attempt = jobs[jobId]?.attempt ?? 0
            actions.append(
                .log(
                    .warning,
                    "job \(jobId) attempt \(attempt) failed on worker \(worker) (\(host)): "
                        + "\(failure.error); retrying"))
        }
        countFailure(
            jobId,
            "failed on \(settings.maxAttempts) attempt(s), the limit; last on worker \(worker) "
                + "(\(host)): \(failure.error)", &actions)
    }

    /// Counts a failed attempt: the job is re-queued, or given up once it reaches `maxAttempts`.
    private func countFailure(_ jobId: String, _ reason: String, _ actions: inout [CoordinatorAction]) {
        guard var job = jobs[jobId], job.isOpen else { return }
        job.failures += 1
        jobs[jobId] = job
        if job.failures >= settings.maxAttempts {
            markFailed(jobId, reason, &actions)
        } else {
            requeue(jobId)
        }
    }

    /// Gives a job up for this run; the others go on.
    private func markFailed(_ jobId: String, _ reason: String, _ actions: inout [CoordinatorAction]) {
        guard var job = jobs[jobId], job.isOpen else { return }
        job.failed = reason
        jobs[jobId] = job
        openJobs -= 1
        counters.failedJobs += 1
        queue.removeAll { $0 == jobId }
        actions.append(.log(.error, "job \(jobId) \(reason); the run goes on without it"))
        actions.append(.jobFailed(jobId: jobId, reason: reason))
    }

    private func remove(_ worker: WorkerID, _ actions: inout [CoordinatorAction]) {
        if let jobId = workers[worker]?.jobId { requeue(jobId) }
        workers[worker] = nil
        workerOrder.removeAll { $0 == worker }
        counters.workersLost += 1
        assignmentDue = true
    }

    /// Puts an interrupted job back at the front of the queue, as a new attempt.
    private func requeue(_ jobId: String) {
        guard var job = jobs[jobId], job.isOpen else { return }
        job.attempt += 1
        jobs[jobId] = job
        queue.removeAll { $0 == jobId }
        queue.insert(jobId, at: 0)
        counters.requeuedJobs += 1
        assignmentDue = true
    }

    /// Whether `worker` may take `jobId`: not when the job's result from this worker was rejected, unless
    /// no other registered worker is free of that mark (so a lone worker can still try again).
    private func eligible(_ worker: WorkerID, _ jobId: String) -> Bool {
        guard let job = jobs[jobId], let record = workers[worker] else { return false }
        guard job.rejectedBy.contains(Self.key(worker, record.peer)) else { return true }
        return !workerOrder.contains { other in
            guard other != worker, let w = workers[other] else { return false }
            return !job.rejectedBy.contains(Self.key(other, w.peer))
        }
    }

    /// Whether `worker` suits `jobId` as far as instruction sets go: always for a job never handed out or whose
    /// first holder named none; else when `worker` has that instruction set, or when no other registered worker
    /// that may take the job has it (the job then runs elsewhere rather than wait for a worker that may never
    /// come). A busy worker with the right instruction set is waited for.
    private func suits(_ worker: WorkerID, _ jobId: String) -> Bool {
        guard let isa = jobs[jobId]?.isa, workers[worker]?.info.isa != isa else { return true }
        return !workerOrder.contains { other in
            other != worker && workers[other]?.info.isa == isa && eligible(other, jobId)
        }
    }

    /// The thread count each busy worker may use now, when it differs from its job's own: with
    /// `shareIdleCores` and an empty queue, the threads of the idle workers of a machine (READY's `machine`)
    /// are split among its busy workers (registration order, the remainder to the first), up to its cores.
    /// Workers that name no machine share nothing.
    func threadGrants() -> [WorkerID: Int] {
        guard settings.shareIdleCores, queue.isEmpty else { return [:] }
        var grants: [WorkerID: Int] = [:]
        let machines = workerOrder.compactMap { workers[$0]?.info.machine }
        for machine in Set(machines) {
            let members = workerOrder.filter { workers[$0]?.info.machine == machine }
            let busy = members.filter { workers[$0]?.jobId != nil }
            let spare = members.filter { workers[$0]?.jobId == nil }.reduce(0) { $0 + (workers[$1]?.info.threads ?? 0) }
            guard !busy.isEmpty, spare > 0 else { continue }
            for (i, id) in busy.enumerated() {
                guard let w = workers[id], let jobId = w.jobId, let own = jobs[jobId]?.planned.threads else { continue }
                let extra = spare / busy.count + (i < spare % busy.count ? 1 : 0)
                let total = min(own + extra, max(own, w.info.cores))
                if total != own { grants[id] = total }
            }
        }
        return grants
    }

    /// Tells each busy worker whose grant changed its new thread count at once (a HEARTBEAT with `threads`);
    /// a worker whose job just started or ended forgets its grant.
    private func grantIdleThreads(_ actions: inout [CoordinatorAction]) {
        guard settings.shareIdleCores else { return }  // no grant is ever made
        let grants = threadGrants()
        for id in workerOrder {
            guard let w = workers[id] else { continue }
            let grant = w.jobId == nil ? nil : grants[id]
            guard grant != w.granted else { continue }
            workers[id]?.granted = grant
            guard let jobId = w.jobId else { continue }
            let threads = grant ?? jobs[jobId]?.planned.threads ?? 1
            actions.append(.log(.info, "worker \(id) may use \(threads) thread(s) for job \(jobId)"))
            actions.append(.send(id, .heartbeat(HeartbeatHeader(threads: threads))))
        }
    }

    /// Hands queued jobs to idle workers, in the order they registered.
    private func handOut(_ actions: inout [CoordinatorAction]) {
        for id in workerOrder where workers[id]?.jobId == nil {
            guard let index = queue.firstIndex(where: { eligible(id, $0) && suits(id, $0) }) else { continue }
            let jobId = queue.remove(at: index)
            guard var job = jobs[jobId] else { continue }
            let isa = workers[id]?.info.isa
            if !job.handedOut {
                job.handedOut = true
                job.isa = isa
            } else if let first = job.isa, isa != first {
                actions.append(
                    .log(
                        .warning,
                        "job \(jobId) goes to worker \(id) with instruction set "
                            + "\(isa ?? "unknown"): no worker that may take it has \(first), its first "
                            + "holder's, so the member's bits will differ from a run there"))
            }
            jobs[jobId] = job
            workers[id]?.jobId = jobId
            workers[id]?.lastProgress = nil
            workers[id]?.granted = nil  // a JOB resets the worker to the job's own thread count
            let header = JobHeader(
                jobId: jobId, memberIndex: job.planned.memberIndex, attempt: job.attempt,
                threads: job.planned.threads, config: job.config)
            actions.append(
                .log(.info, "job \(jobId) (member \(job.planned.memberIndex), attempt \(job.attempt)) to worker \(id)"))
            actions.append(.send(id, .job(header)))
        }
    }

    /// Hands queued jobs to idle workers (registration order) and ends the run when no job is open.
    private func finishStep(at time: Double, _ actions: inout [CoordinatorAction]) {
        guard phase == .running else { return }
        if assignmentDue && !queue.isEmpty { handOut(&actions) }
        assignmentDue = false
        grantIdleThreads(&actions)
        guard openJobs == 0 else { return }
        let failed = jobs.compactMapValues(\.failed)
        for id in workerOrder { actions.append(.send(id, .disconnect(DisconnectHeader(reason: "run complete")))) }
        if failed.isEmpty {
            phase = .complete
            actions.append(.log(.info, "all \(order.count) job(s) complete"))
            actions.append(.runComplete)
        } else {
            phase = .incomplete(failed)
            actions.append(
                .log(
                    .warning,
                    "run finished with \(order.count - failed.count) of \(order.count) job(s); "
                        + "missing: " + failed.keys.sorted().joined(separator: ", ")))
            actions.append(.runIncomplete(failed))
        }
    }
}
