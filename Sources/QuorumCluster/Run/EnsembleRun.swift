import Foundation
import Logging

/// The coordinator's side of a run: serves the plan's jobs to workers, stores each member as it arrives,
/// and leaves the run directory ready for `RunSummary`.
public final class EnsembleRun {
    public let directory: RunDirectory
    public let plan: RunPlan
    /// The coordinator's own copy of the data: its test labels score the members' predictions.
    public let data: PreparedData
    /// Progress of a member and the name its worker announced, for the live display.
    public var onProgress: ((String, ProgressHeader) -> Void)?
    /// A member stored: its job id, test accuracy and worker name.
    public var onMemberSaved: ((String, Double, String) -> Void)?
    /// Log lines from the server and the state machine.
    public var onLog: ((Logger.Level, String) -> Void)?
    private var server: CoordinatorServer?
    private let lock = NSLock()
    private var stopRequested = false

    /// A run over `plan` in `directory`; `data` must be what the plan's members train on.
    public init(directory: RunDirectory, plan: RunPlan, data: PreparedData) {
        self.directory = directory
        self.plan = plan
        self.data = data
    }

    /// The jobs not yet complete in the run directory.
    public var missingJobs: [String] {
        let done = directory.completedJobs()
        return plan.members.map(\.jobId).filter { !done.contains($0) }
    }

    /// Binds `endpoint`, calls `onBound` with the address actually bound (port 0 picks a free port), and serves
    /// until every missing member is stored, the run fails, or `requestStop` is called.
    public func serve(endpoint: String, settings: CoordinatorSettings, serverSettings: CoordinatorServerSettings,
                      onBound: (String) throws -> Void) throws -> CoordinatorOutcome {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase  // the wire's key style, as in plan.json
        let jobs = try plan.members.map {
            PlannedJob(jobId: $0.jobId, memberIndex: $0.index, threads: $0.config.threads, config: try encoder.encode($0.config))
        }
        let machine = try CoordinatorStateMachine(plan: jobs, completed: directory.completedJobs(), settings: settings)
        let server = try CoordinatorServer(machine: machine, settings: serverSettings)
        server.onLog = { [weak self] level, text in self?.onLog?(level, text) }
        server.onProgress = { [weak self, unowned server] worker, header in
            self?.onProgress?(server.machine.status.workers.first { $0.id == worker }?.host ?? "\(worker)", header)
        }
        server.onCompleted = { [weak self] jobId, result in try self?.store(jobId: jobId, result: result) }
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

    private func store(jobId: String, result: ResultMessage) throws {
        guard let member = plan.members.first(where: { $0.jobId == jobId }) else { return }
        let classes = result.header.classes
        guard result.header.testCount == data.test.count else {
            throw RunPlanError.mismatch(path: directory.url.path,
                                        reason: "\(jobId): the worker scored \(result.header.testCount) test images, the coordinator has \(data.test.count); do both use the same data?")
        }
        let loaded: (model: Sequential, metadata: ModelMetadata)
        do { loaded = try ModelFile.load(data: result.model, path: "\(jobId) (received)") } catch {
            throw RunPlanError.mismatch(path: directory.url.path, reason: "\(jobId): the worker sent an unusable model file: \(error)")
        }
        guard loaded.metadata.spec.classes == classes else {
            throw RunPlanError.mismatch(path: directory.url.path, reason: "\(jobId): model scores \(loaded.metadata.spec.classes) classes, predictions have \(classes)")
        }
        let predictions = try MemberPredictions(name: jobId, probabilities: result.probabilities, classes: classes)
        let testAccuracy = EnsembleMetrics.accuracy(predictions.argmax, labels: data.test.labels)
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let history = (try? decoder.decode([EpochStats].self, from: result.header.history.jsonData())) ?? []
        let trainSeconds = history.reduce(0) { $0 + $1.seconds }
        let images = history.reduce(0) { $0 + $1.imagesPerSecond * $1.seconds }
        let worker = server?.machine.status.workers.first { $0.jobId == jobId }?.host
        try directory.saveMember(jobId: jobId, modelFile: result.model, history: history, probabilities: result.probabilities,
                                 classes: classes, testAccuracy: testAccuracy,
                                 validationAccuracy: member.config.validationSize > 0 ? result.header.validationAccuracy : nil,
                                 trainSeconds: trainSeconds, imagesPerSecond: images / max(trainSeconds, 1e-9),
                                 worker: worker)
        onMemberSaved?(jobId, testAccuracy, worker ?? "-")
    }
}
