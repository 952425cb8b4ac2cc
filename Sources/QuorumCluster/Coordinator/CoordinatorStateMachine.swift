import Foundation
import Logging

/// The coordinator's whole scheduling logic, without sockets or clocks: fed decoded messages and the
/// time, it answers with actions for the socket loop to carry out.
///
/// Keeping it free of I/O lets tests drive every rule (assignment order, heartbeats, expiry, retries,
/// duplicates) with fake time, and keeps the socket loop thin. Not thread-safe: one loop owns it.
public final class CoordinatorStateMachine {
    /// Where the run stands.
    public enum Phase: Equatable, Sendable {
        /// Jobs remain.
        case running
        /// Every job completed.
        case complete
        /// A job exhausted its attempts or failed for good; the text says which and why.
        case failed(String)
    }

    private struct JobRecord {
        let planned: PlannedJob
        let config: JSONValue
        var attempt = 1
        var failures = 0
        var completed = false
        var holder: WorkerID?
    }

    private struct WorkerRecord {
        var info: ReadyHeader
        var jobId: String?
        var lastSeen: Double
        var lastProgress: ProgressHeader?
    }

    /// Timing and retry rules.
    public let settings: CoordinatorSettings
    /// Where the run stands.
    public private(set) var phase: Phase = .running

    private let order: [String]
    private var jobs: [String: JobRecord] = [:]
    private var queue: [String] = []
    private var workers: [WorkerID: WorkerRecord] = [:]
    private var workerOrder: [WorkerID] = []
    private var nextHeartbeat: Double?
    private var invalidCount = 0
    private var droppedCount = 0

    /// A state machine for `plan`, skipping the jobs in `completed` (resume), with `settings`.
    public init(plan: [PlannedJob], completed: Set<String> = [], settings: CoordinatorSettings = CoordinatorSettings()) throws {
        guard settings.heartbeatInterval > 0, settings.heartbeatInterval.isFinite else {
            throw CoordinatorError.invalidSetting(field: "heartbeatInterval", problem: "must be > 0, got \(settings.heartbeatInterval)")
        }
        guard settings.liveness >= 1 else {
            throw CoordinatorError.invalidSetting(field: "liveness", problem: "must be ≥ 1, got \(settings.liveness)")
        }
        guard settings.maxAttempts >= 1 else {
            throw CoordinatorError.invalidSetting(field: "maxAttempts", problem: "must be ≥ 1, got \(settings.maxAttempts)")
        }
        self.settings = settings
        let sorted = plan.enumerated().sorted { ($0.element.memberIndex, $0.offset) < ($1.element.memberIndex, $1.offset) }.map(\.element)
        order = sorted.map(\.jobId)
        for job in sorted {
            guard jobs[job.jobId] == nil else { throw CoordinatorError.duplicateJobId(job.jobId) }
            guard !job.jobId.isEmpty else { throw CoordinatorError.invalidJob(jobId: job.jobId, field: "jobId", problem: "must not be empty") }
            guard job.threads >= 1 else {
                throw CoordinatorError.invalidJob(jobId: job.jobId, field: "threads", problem: "must be ≥ 1, got \(job.threads)")
            }
            guard job.memberIndex >= 0 else {
                throw CoordinatorError.invalidJob(jobId: job.jobId, field: "memberIndex", problem: "must be ≥ 0, got \(job.memberIndex)")
            }
            let config: JSONValue
            do { config = try JSONValue(data: job.config) } catch {
                throw CoordinatorError.invalidConfig(jobId: job.jobId, problem: "is not valid UTF-8 JSON")
            }
            guard config.isObject else { throw CoordinatorError.invalidConfig(jobId: job.jobId, problem: "is not an object") }
            var record = JobRecord(planned: job, config: config)
            record.completed = completed.contains(job.jobId)
            jobs[job.jobId] = record
            if !record.completed { queue.append(job.jobId) }
        }
    }

    /// Whether the run is over (complete or failed).
    public var isFinished: Bool { phase != .running }

    /// A snapshot for the live table.
    public var status: CoordinatorStatus {
        CoordinatorStatus(
            workers: workerOrder.compactMap { id in
                guard let w = workers[id] else { return nil }
                return WorkerStatus(id: id, host: w.info.host, threads: w.info.threads, jobId: w.jobId,
                                    attempt: w.jobId.flatMap { jobs[$0]?.attempt }, lastProgress: w.lastProgress,
                                    lastSeen: w.lastSeen)
            },
            queued: queue,
            completed: order.filter { jobs[$0]?.completed == true },
            total: order.count, invalidMessages: invalidCount, droppedMessages: droppedCount)
    }

    // MARK: inputs

    /// Reacts to one valid message from a worker at `time` (seconds on a monotonic clock).
    public func handle(_ message: ProtocolMessage, from worker: WorkerID, at time: Double) -> [CoordinatorAction] {
        startClock(time)
        guard phase == .running else {
            return [.log(.debug, "\(message.command.rawValue) from \(worker) ignored: the run is over")]
        }
        var actions: [CoordinatorAction] = []
        if case .ready(let info) = message {
            register(worker, info, at: time, &actions)
        } else if workers[worker] == nil {
            droppedCount += 1
            actions.append(.log(.warning, "\(message.command.rawValue) from unregistered worker \(worker) dropped; it must send READY first"))
        } else {
            workers[worker]?.lastSeen = time
            switch message {
            case .ready: break
            case .heartbeat: break
            case .job, .dataManifest, .dataChunk:
                droppedCount += 1
                actions.append(.log(.warning, "\(message.command.rawValue) from worker \(worker) dropped: only the coordinator sends it"))
            case .dataRequest(let request):
                actions.append(.serveData(worker, request))
            case .progress(let p):
                if holds(worker, p.jobId, "PROGRESS", &actions) {
                    workers[worker]?.lastProgress = p
                    actions.append(.progress(worker, p))
                }
            case .result(let r):
                accept(r, from: worker, &actions)
            case .failed(let f):
                if holds(worker, f.jobId, "FAILED", &actions) { fail(f, from: worker, &actions) }
            case .disconnect(let d):
                actions.append(.log(.info, "worker \(worker) disconnected" + (d.reason.map { ": \($0)" } ?? "")))
                remove(worker, &actions)
            }
        }
        finishStep(at: time, &actions)
        return actions
    }

    /// Records a message from `worker` that failed to decode: counted, logged and otherwise ignored
    /// (it does not even count as a sign of life).
    public func handleInvalid(from worker: WorkerID, error: Error, at time: Double) -> [CoordinatorAction] {
        startClock(time)
        invalidCount += 1
        return [.log(.warning, "invalid message from \(worker) dropped: \(error)")]
    }

    /// Advances time: expires silent workers, sends heartbeats when due, hands out queued jobs.
    public func tick(at time: Double) -> [CoordinatorAction] {
        startClock(time)
        guard phase == .running else { return [] }
        var actions: [CoordinatorAction] = []
        for id in workerOrder {
            guard let w = workers[id], time - w.lastSeen >= settings.expiry else { continue }
            actions.append(.log(.warning, "worker \(id) (\(w.info.host)) silent for \(String(format: "%.1f", time - w.lastSeen)) s: expired"
                                + (w.jobId.map { "; job \($0) goes back to the queue" } ?? "")))
            remove(id, &actions)
        }
        if let due = nextHeartbeat, time >= due {
            for id in workerOrder { actions.append(.send(id, .heartbeat(HeartbeatHeader()))) }
            nextHeartbeat = time + settings.heartbeatInterval
        }
        finishStep(at: time, &actions)
        return actions
    }

    // MARK: rules

    private func startClock(_ time: Double) {
        if nextHeartbeat == nil { nextHeartbeat = time + settings.heartbeatInterval }
    }

    private func register(_ worker: WorkerID, _ info: ReadyHeader, at time: Double, _ actions: inout [CoordinatorAction]) {
        if let old = workers[worker] {
            if let jobId = old.jobId {
                actions.append(.log(.warning, "worker \(worker) announced itself again while holding job \(jobId): the job goes back to the queue"))
                requeue(jobId)
            }
            workers[worker] = WorkerRecord(info: info, jobId: nil, lastSeen: time)
        } else {
            workers[worker] = WorkerRecord(info: info, jobId: nil, lastSeen: time)
            workerOrder.append(worker)
            actions.append(.log(.info, "worker \(worker) ready: host \(info.host), \(info.threads) thread(s) of \(info.cores) core(s), BLAS \(info.blasKernel), version \(info.version)"))
        }
    }

    /// Whether `worker` holds `jobId`; if not, the message is dropped with a log line.
    private func holds(_ worker: WorkerID, _ jobId: String, _ what: String, _ actions: inout [CoordinatorAction]) -> Bool {
        if workers[worker]?.jobId == jobId { return true }
        droppedCount += 1
        actions.append(.log(.warning, "\(what) for job \(jobId) from worker \(worker) dropped: that worker does not hold the job"))
        return false
    }

    private func accept(_ result: ResultMessage, from worker: WorkerID, _ actions: inout [CoordinatorAction]) {
        let jobId = result.header.jobId
        if jobs[jobId]?.completed == true {
            droppedCount += 1
            actions.append(.log(.info, "RESULT for job \(jobId) from worker \(worker) dropped: the job is already complete (late duplicate)"))
            if workers[worker]?.jobId == jobId { workers[worker]?.jobId = nil }
            return
        }
        guard holds(worker, jobId, "RESULT", &actions) else { return }
        jobs[jobId]?.completed = true
        jobs[jobId]?.holder = nil
        workers[worker]?.jobId = nil
        workers[worker]?.lastProgress = nil
        actions.append(.log(.info, "job \(jobId) completed by worker \(worker): validation accuracy \(String(format: "%.4f", result.header.validationAccuracy))"))
        actions.append(.completed(jobId: jobId, result: result))
    }

    private func fail(_ failure: FailedHeader, from worker: WorkerID, _ actions: inout [CoordinatorAction]) {
        let jobId = failure.jobId
        guard var job = jobs[jobId] else { return }
        workers[worker]?.jobId = nil
        workers[worker]?.lastProgress = nil
        job.failures += 1
        job.holder = nil
        jobs[jobId] = job
        let host = workers[worker]?.info.host ?? "?"
        if !failure.retryable || job.failures >= settings.maxAttempts {
            let why = failure.retryable ? "failed on \(job.failures) attempt(s), the limit" : "failed with an error that cannot be retried"
            endRun("job \(jobId) \(why); last on worker \(worker) (\(host)): \(failure.error)", &actions)
            return
        }
        actions.append(.log(.warning, "job \(jobId) attempt \(job.attempt) failed on worker \(worker) (\(host)): \(failure.error); retrying"))
        requeue(jobId)
    }

    private func remove(_ worker: WorkerID, _ actions: inout [CoordinatorAction]) {
        if let jobId = workers[worker]?.jobId { requeue(jobId) }
        workers[worker] = nil
        workerOrder.removeAll { $0 == worker }
    }

    /// Puts an interrupted job back at the front of the queue, as a new attempt.
    private func requeue(_ jobId: String) {
        guard var job = jobs[jobId], !job.completed else { return }
        job.attempt += 1
        job.holder = nil
        jobs[jobId] = job
        queue.removeAll { $0 == jobId }
        queue.insert(jobId, at: 0)
    }

    private func endRun(_ message: String, _ actions: inout [CoordinatorAction]) {
        phase = .failed(message)
        for id in workerOrder { actions.append(.send(id, .disconnect(DisconnectHeader(reason: "run failed")))) }
        actions.append(.log(.error, message))
        actions.append(.runFailed(message))
    }

    /// Hands queued jobs to idle workers (registration order) and ends the run when all are complete.
    private func finishStep(at time: Double, _ actions: inout [CoordinatorAction]) {
        guard phase == .running else { return }
        for id in workerOrder where workers[id]?.jobId == nil {
            guard !queue.isEmpty else { break }
            let jobId = queue.removeFirst()
            guard var job = jobs[jobId] else { continue }
            job.holder = id
            jobs[jobId] = job
            workers[id]?.jobId = jobId
            workers[id]?.lastProgress = nil
            let header = JobHeader(jobId: jobId, memberIndex: job.planned.memberIndex, attempt: job.attempt,
                                   threads: job.planned.threads, config: job.config)
            actions.append(.log(.info, "job \(jobId) (member \(job.planned.memberIndex), attempt \(job.attempt)) to worker \(id)"))
            actions.append(.send(id, .job(header)))
        }
        if order.allSatisfy({ jobs[$0]?.completed == true }) {
            phase = .complete
            for id in workerOrder { actions.append(.send(id, .disconnect(DisconnectHeader(reason: "run complete")))) }
            actions.append(.log(.info, "all \(order.count) job(s) complete"))
            actions.append(.runComplete)
        }
    }
}
