import Foundation
import Logging
import QuorumCluster
import QuorumCore
import QuorumEnsemble
import QuorumTraining

/// The coordinator's side of a run: serves the plan's jobs to workers, checks each member as it arrives
/// (`MemberVerifier`) and stores the sound ones, and leaves the run directory ready for `RunSummary`.
///
/// A member that fails a check is never stored: its job goes to another worker and the journal says why.
public final class EnsembleRun {
    public let directory: RunDirectory
    public let plan: RunPlan
    /// The coordinator's own copy of the data: its test set checks and scores the members' predictions.
    public let data: PreparedData
    /// Checks every received member before it is stored.
    public var verifier: MemberVerifier
    /// Progress of a member and the name its worker announced, for the live display.
    public var onProgress: ((String, ProgressHeader) -> Void)?
    /// A member stored: its job id, test accuracy and worker name.
    public var onMemberSaved: ((String, Double, String) -> Void)?
    /// A worker refused for the rest of the run: its description and why.
    public var onWorkerRefused: ((String, String) -> Void)?
    /// A member's result was rejected (its job id); the job is back in the queue.
    public var onRejected: ((String) -> Void)?
    /// A member was given up for this run: its job id and why.
    public var onMemberFailed: ((String, String) -> Void)?
    /// Where the server's and the state machine's log lines go.
    public let logger: Logger
    /// The serving coordinator's latest snapshot, for a metrics endpoint (empty until `serve` starts).
    public let monitor = CoordinatorMonitor()
    private var server: CoordinatorServer?
    private let lock = NSLock()
    private var stopRequested = false
    /// Members that passed the checks, until they are stored (the state machine then reports them complete).
    private var verified: [String: (member: VerifiedMember, worker: String)] = [:]

    /// A run over `plan` in `directory`, logging to `logger`; `data` must be what the plan's members train on.
    public init(
        directory: RunDirectory, plan: RunPlan, data: PreparedData,
        logger: Logger = .silent("quorum.coordinator")
    ) {
        self.directory = directory
        self.logger = logger
        self.plan = plan
        self.data = data
        verifier = MemberVerifier(data: data)
    }

    /// The coordinator's running totals (expired workers, re-queues, the longest silence), once `serve` started.
    public var counters: CoordinatorCounters? {
        lock.lock()
        defer { lock.unlock() }
        return server?.machine.counters
    }

    /// The jobs not yet complete in the run directory.
    public var missingJobs: [String] {
        let done = directory.completedJobs()
        return plan.members.map(\.jobId).filter { !done.contains($0) }
    }

    /// The largest message a worker of this plan may legally send (a RESULT: its header, the probabilities
    /// of the test set and the model file of the planned network) plus a margin: the transport limit.
    /// Members started from another model file are bounded by `fallback`, since their size is not known.
    public func messageLimit(fallback: Int = ProtocolLimits().maxMessageBytes) -> Int {
        let limits = ProtocolLimits()
        var largest = 0
        for member in plan.members {
            let classes = verifier.classes(for: member.config)
            let spec = try? ModelSpec(parsing: member.config.model, inputShape: data.test.imageShape, classes: classes)
            guard member.config.initFrom == nil, let spec, let size = MemberVerifier.size(of: spec) else {
                return fallback
            }
            // The safetensors header: a line per tensor, the metadata (settings, class names) and padding.
            let modelBytes = size.parameters * 4 + 64 * 1024 + member.config.jsonText.utf8.count
            let members = member.config.snapshots?.count ?? 1
            largest = max(largest, members * (data.test.count * classes * 4 + modelBytes))
        }
        return min(fallback, limits.maxHeaderBytes + largest + 256 * 1024)
    }

    /// Binds `endpoint`, calls `onBound` with the address actually bound (port 0 picks a free port), and serves
    /// until every missing member is stored or given up, or `requestStop` is called.
    public func serve(
        endpoint: String, settings: CoordinatorSettings, serverSettings: CoordinatorServerSettings,
        onBound: (String) throws -> Void
    ) throws -> CoordinatorOutcome {
        let encoder = JSONCoding.encoder(.compact)  // the wire's key style, as in plan.json
        let jobs = try plan.members.map {
            PlannedJob(
                jobId: $0.jobId, memberIndex: $0.index, threads: $0.config.threads,
                config: try encoder.encode($0.config))
        }
        let machine = try CoordinatorStateMachine(plan: jobs, completed: directory.completedJobs(), settings: settings)
        machine.verifier = { [weak self] jobId, result, worker in
            self?.verify(jobId: jobId, result: result, worker: worker) ?? .rejected("the run is closing")
        }
        let server = try CoordinatorServer(
            machine: machine, settings: serverSettings, logger: logger, monitor: monitor)
        server.onProgress = { [weak self, unowned server] worker, header in
            let host = server.machine.host(of: worker) ?? "\(worker)"
            self?.onProgress?(PeerText.escaped(host, limit: 64), header)
        }
        server.onCompleted = { [weak self] jobId, result in try self?.store(jobId: jobId, result: result) }
        server.onRecord = { [weak self] action in try self?.record(action) }
        lock.lock()
        self.server = server
        let stopEarly = stopRequested
        lock.unlock()
        if stopEarly { return .stopped }
        let bound = try server.bind(endpoint)
        try onBound(bound)
        return try server.run()
    }

    /// Ends `serve` soon, from any thread (a signal handler's queue, say). What is stored stays stored.
    public func requestStop() {
        lock.lock()
        stopRequested = true
        let server = self.server
        lock.unlock()
        server?.requestStop()
    }

    private func verify(jobId: String, result: ResultMessage, worker: WorkerStatus) -> ResultVerdict {
        guard let member = plan.members.first(where: { $0.jobId == jobId }) else {
            return .rejected("job \(jobId) is not in the plan")
        }
        do {
            verified[jobId] = (try verifier.verify(result, member: member), PeerText.escaped(worker.host, limit: 64))
            return .accepted
        } catch let rejection as MemberRejection {
            return .rejected(rejection.problem)
        } catch {
            return .rejected("\(error)")
        }
    }

    private func store(jobId: String, result: ResultMessage) throws {
        guard let member = plan.members.first(where: { $0.jobId == jobId }),
            let (checked, worker) = verified.removeValue(forKey: jobId)
        else { return }
        let history = checked.history
        let trainSeconds = history.reduce(0) { $0 + $1.seconds }
        let images = history.reduce(0) { $0 + $1.imagesPerSecond * $1.seconds }
        // Earlier snapshots first: the job's journal line, written last, makes all of them count.
        for (i, snapshot) in checked.snapshots.enumerated() {
            let frames = result.snapshotResult(i)
            try directory.saveSnapshot(
                jobId: jobId, cycle: i + 1, modelFile: frames.model, probabilities: frames.probabilities,
                classes: snapshot.predictions.classes, testAccuracy: snapshot.testAccuracy,
                validationAccuracy: member.config.validationSize > 0 ? frames.header.validationAccuracy : nil)
        }
        try directory.saveMember(
            jobId: jobId, modelFile: result.model, history: history, probabilities: result.probabilities,
            classes: checked.predictions.classes, testAccuracy: checked.testAccuracy,
            validationAccuracy: member.config.validationSize > 0 ? result.header.validationAccuracy : nil,
            trainSeconds: trainSeconds, imagesPerSecond: images / max(trainSeconds, 1e-9),
            worker: worker)
        onMemberSaved?(jobId, checked.testAccuracy, worker)
    }

    /// Journal lines for rejected results, refused workers, given-up jobs and members trained elsewhere.
    private func record(_ action: CoordinatorAction) throws {
        switch action {
        case let .rejected(jobId, worker, host, reason):
            try directory.append(
                JournalEntry(
                    event: .rejected, jobId: jobId, worker: "\(worker) (\(host))",
                    message: reason))
            onRejected?(jobId)
        case let .refused(worker, host, reason):
            try directory.append(JournalEntry(event: .workerRefused, worker: "\(worker) (\(host))", message: reason))
            onWorkerRefused?(PeerText.escaped("\(worker) (\(host))", limit: 96), PeerText.escaped(reason, limit: 256))
        case let .jobFailed(jobId, reason):
            try directory.append(JournalEntry(event: .jobFailed, jobId: jobId, message: reason))
            onMemberFailed?(jobId, PeerText.escaped(reason, limit: 256))
        case let .otherInstructionSet(jobId, worker, host, isa, firstISA):
            let text = "trained on \(isa ?? "an unnamed instruction set"), not \(firstISA) (its first holder's)"
            try directory.append(
                JournalEntry(
                    event: .otherInstructionSet, jobId: jobId, worker: "\(worker) (\(host))",
                    message: text))
        default: break
        }
    }
}
