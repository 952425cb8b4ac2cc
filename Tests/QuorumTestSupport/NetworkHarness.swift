import Foundation
import QuorumCluster

/// Runs a closure on its own thread and lets the test wait for its result with a timeout.
public final class Background<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Result<T, Error>?
    private let done = DispatchSemaphore(value: 0)

    /// Starts `body` on a thread named `name`.
    public init(_ name: String, _ body: @escaping () throws -> T) {
        let thread = Thread { [self] in
            let r = Result { try body() }
            lock.lock(); value = r; lock.unlock()
            done.signal()
        }
        thread.name = name
        thread.start()
    }

    /// The result, or nil when the closure has not returned within `timeout` seconds.
    public func wait(_ timeout: Double) -> Result<T, Error>? {
        guard done.wait(timeout: .now() + timeout) == .success else { return nil }
        done.signal()
        lock.lock(); defer { lock.unlock() }
        return value
    }
}

/// A thread-safe list of whatever the callbacks saw.
public final class Recorder<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [T] = []
    /// An empty list.
    public init() {}
    /// Records one item.
    public func append(_ item: T) { lock.lock(); items.append(item); lock.unlock() }
    /// Everything recorded, oldest first.
    public var all: [T] { lock.lock(); defer { lock.unlock() }; return items }
}

/// A coordinator and workers on loopback with fast timings, for network tests.
public enum Harness {
    /// Coordinator settings with 0.1 s heartbeats.
    public static let fast = CoordinatorSettings(heartbeatInterval: 0.1, liveness: 3, maxAttempts: 3)
    /// Worker settings with 0.1 s heartbeats and quick reconnects.
    public static let fastWorker = WorkerSettings(
        heartbeatInterval: 0.1, liveness: 3, reconnectInitial: 0.1,
        reconnectMax: 0.4, pollInterval: 0.01)
    /// Test rows and classes of the fake results.
    public static let testCount = 4, classes = 3

    /// A fake training run: one progress report, probabilities that name the member, a model naming the job.
    public static func train(
        _ job: JobAssignment, _ reporter: ProgressReporter,
        _ flag: CancellationFlag
    ) throws -> JobOutput {
        reporter.report(
            epoch: 1, epochs: 1, batch: 1, batches: 1, loss: 0.5, accuracy: 0.8,
            validationLoss: 0.4, validationAccuracy: 0.85, imagesPerSecond: 100)
        return output(job)
    }

    /// The fake output for `job`.
    public static func output(_ job: JobAssignment) -> JobOutput {
        let probabilities = (0..<testCount * classes).map { Float($0 % classes == job.memberIndex % classes ? 1 : 0) }
        return JobOutput(
            validationLoss: 0.4, validationAccuracy: 0.85, history: Data(#"[{"epoch":1,"loss":0.5}]"#.utf8),
            testCount: testCount, classes: classes, probabilities: probabilities,
            model: Data("model-\(job.jobId)".utf8))
    }

    /// What a test worker named `host` says in READY.
    public static func info(_ host: String) -> ReadyHeader {
        ReadyHeader(version: "0.1.0", host: host, cores: 2, threads: 1, isa: "avx2", datasets: [:])
    }

    /// A coordinator for `jobs` planned jobs, bound to `endpoint`, with its callbacks recorded.
    public final class Coordinator {
        /// The server under test.
        public let server: CoordinatorServer
        /// The address it is bound to.
        public let endpoint: String
        /// Completed jobs with their results.
        public let completed = Recorder<(String, ResultMessage)>()
        /// Progress reports received.
        public let progress = Recorder<ProgressHeader>()
        /// Log lines, with their level.
        public let logs: Recorder<String>

        /// Binds a coordinator for `jobs` planned jobs.
        public init(
            jobs: Int, endpoint: String = "tcp://127.0.0.1:0", curveSecretKey: String? = nil,
            authorizedKeys: [String]? = nil, datasets: [DatasetBundle] = [], chunkBytes: Int = 1 << 20,
            dataURL: String? = nil
        ) throws {
            let machine = try CoordinatorStateMachine(plan: Fixtures.plan(jobs), settings: Harness.fast)
            let logs = Recorder<String>()
            self.logs = logs
            server = try CoordinatorServer(
                machine: machine,
                settings: CoordinatorServerSettings(
                    pollInterval: 0.01, curveSecretKey: curveSecretKey, linger: 0.5, authorizedKeys: authorizedKeys,
                    datasets: datasets, chunkBytes: chunkBytes, dataURL: dataURL), logger: .recording(logs))
            self.endpoint = try server.bind(endpoint)
            server.onCompleted = { [completed] in completed.append(($0, $1)) }
            server.onProgress = { [progress] in progress.append($1) }
        }

        /// Runs the server on its own thread.
        public func start() -> Background<CoordinatorOutcome> {
            Background("coordinator") { [server] in try server.run() }
        }
    }

    /// Starts a worker that trains with `train`, on its own thread.
    public static func startWorker(
        _ endpoint: String, host: String, settings: WorkerSettings = Harness.fastWorker,
        train: @escaping TrainFunction.Body = Harness.train
    )
        throws -> (WorkerClient, Background<WorkerExit>)
    {
        let worker = try WorkerClient(
            endpoint: endpoint, info: info(host), settings: settings,
            runner: TrainFunction(train))
        return (worker, Background("worker-\(host)") { try worker.run() })
    }

    /// Runs `coordinator`'s jobs on one worker named `host` whose data cache is `cache`. Each job first asks the
    /// worker's data fetcher for its local copy of `dataset` (fetching it as a worker without the data would),
    /// hands that local spec to `fetched`, then trains with `Harness.train`. Returns how the run and the worker
    /// ended (nil: not within 10 and 3 seconds).
    public static func runFetchingWorker(
        _ coordinator: Coordinator, host: String, cache: DatasetCache, dataset: String,
        logs: Recorder<String> = Recorder(), fetched: @escaping (String) throws -> Void = { _ in }
    ) throws -> (run: CoordinatorOutcome?, worker: WorkerExit?) {
        let run = coordinator.start()
        var settings = Harness.fastWorker
        settings.dataCache = cache
        var fetcher: DatasetFetcher?
        let worker = try WorkerClient(
            endpoint: coordinator.endpoint, info: info(host), settings: settings, logger: .recording(logs),
            runner: TrainFunction { job, reporter, flag in
                try fetched(try fetcher!.localSpec(for: dataset, cancel: flag))
                return try Harness.train(job, reporter, flag)
            })
        fetcher = worker.datasets
        let exit = Background("worker-\(host)") { try worker.run() }
        return (try run.wait(10)?.get(), try exit.wait(3)?.get())
    }

    /// A hand-driven DEALER for sending what a real worker never would.
    public static func rawDealer(_ context: ZMQContext, _ endpoint: String) throws -> ZMQSocket {
        let socket = try context.socket(.dealer)
        try socket.setLinger(0)
        try socket.setReceiveTimeout(3)
        try socket.connect(endpoint)
        return socket
    }

    /// Receives messages on a raw DEALER until a JOB arrives (skipping heartbeats).
    public static func awaitJob(_ socket: ZMQSocket) throws -> JobHeader? {
        let codec = MessageCodec()
        while let frames = try socket.receive() {
            if case .job(let h) = try codec.decode(frames) { return h }
        }
        return nil
    }
}
