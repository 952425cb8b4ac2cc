import Foundation
import Logging

/// The coordinator's socket loop: a ROUTER socket feeding a `CoordinatorStateMachine` and carrying out
/// its actions. All decisions live in the state machine; this only moves bytes and reads the clock.
///
/// `run()` blocks the calling thread, which owns the socket; callbacks run on that thread too.
public final class CoordinatorServer {
    /// The scheduling logic this loop drives (read its `status` from the callbacks).
    public let machine: CoordinatorStateMachine
    /// Loop settings.
    public let settings: CoordinatorServerSettings
    /// Called for every PROGRESS from the worker holding the job.
    public var onProgress: ((WorkerID, ProgressHeader) -> Void)?
    /// Called once per completed job with its validated result; an error thrown here ends `run()`.
    public var onCompleted: ((String, ResultMessage) throws -> Void)?
    /// Called for every log line.
    public var onLog: ((Logger.Level, String) -> Void)?

    private let context: ZMQContext
    private let socket: ZMQSocket
    private let codec: MessageCodec
    private let stop = CancellationFlag()
    private var zap: ZAPHandler?

    /// A server for `machine`; call `bind` before `run`.
    public init(machine: CoordinatorStateMachine, settings: CoordinatorServerSettings = CoordinatorServerSettings(),
                context: ZMQContext? = nil) throws {
        self.machine = machine
        self.settings = settings
        self.context = try context ?? ZMQContext()
        codec = MessageCodec(limits: settings.limits)
        socket = try self.context.socket(.router)
        try socket.setLinger(settings.linger)
        try socket.setRouterMandatory(true)
        try socket.setMaxMessageSize(settings.limits.maxMessageBytes)
        if let secret = settings.curveSecretKey {
            if let keys = settings.authorizedKeys {
                // Bound before the ROUTER exists, so no handshake can slip past the allow-list.
                zap = try ZAPHandler(context: self.context, authorizedKeys: keys)
                try socket.setZAPDomain("quorum")
            }
            try socket.setCurveServer(true)
            try socket.setCurveSecretKey(secret)
        }
    }

    deinit {
        socket.close()
        zap?.stop()
    }

    /// Binds to `tcp://host:port` (port 0: any free port) or `ipc://path` and returns the actual endpoint.
    @discardableResult
    public func bind(_ endpoint: String) throws -> String {
        try socket.bind(endpoint)
        return try socket.lastEndpoint()
    }

    /// Asks `run()` to return `.stopped` at its next poll; safe from any thread.
    public func requestStop() { stop.cancel(reason: "stop requested") }

    /// Serves workers until the run completes, fails or is stopped.
    public func run() throws -> CoordinatorOutcome {
        defer { socket.close(); zap?.stop() }
        var poller = ZMQPoller(sockets: [socket])
        if let outcome = try execute(machine.tick(at: MonotonicClock.now())) { return try closing(outcome, &poller) }
        while true {
            if stop.isCancelled { return .stopped }
            if try poller.poll(timeout: settings.pollInterval)[0] {
                // Bounded so a flood of messages cannot starve heartbeats and expiry.
                for _ in 0..<256 {
                    guard let frames = try socket.receive(dontWait: true) else { break }
                    if let outcome = try execute(receive(frames)) { return try closing(outcome, &poller) }
                }
            }
            if let outcome = try execute(machine.tick(at: MonotonicClock.now())) { return try closing(outcome, &poller) }
            for refusal in zap?.takeRefusals() ?? [] {
                onLog?(.warning, "refused a worker at \(refusal.address): CURVE key \(refusal.key) is not in the authorized keys")
            }
        }
    }

    /// For `closingGrace` seconds after the run ended, tells every worker still talking that it is over.
    private func closing(_ outcome: CoordinatorOutcome, _ poller: inout ZMQPoller) throws -> CoordinatorOutcome {
        let reason: String
        switch outcome {
        case .complete: reason = "run complete"
        case .failed: reason = "run failed"
        case .stopped: return outcome
        }
        let deadline = MonotonicClock.now() + settings.closingGrace
        var told = Set<Data>()
        while MonotonicClock.now() < deadline && !stop.isCancelled {
            guard try poller.poll(timeout: settings.pollInterval)[0] else { continue }
            while let frames = try socket.receive(dontWait: true) {
                guard let id = frames.first, !told.contains(id) else { continue }
                if case .disconnect? = try? codec.decode(Array(frames.dropFirst())) { continue }
                told.insert(id)
                _ = try? socket.send(frames: [id] + codec.encode(.disconnect(DisconnectHeader(reason: reason))), dontWait: true)
            }
        }
        return outcome
    }

    private func receive(_ frames: [Data]) -> [CoordinatorAction] {
        guard let first = frames.first else { return [] }
        let worker = WorkerID(first)
        let now = MonotonicClock.now()
        do {
            return machine.handle(try codec.decode(Array(frames.dropFirst())), from: worker, at: now)
        } catch {
            return machine.handleInvalid(from: worker, error: error, at: now)
        }
    }

    /// Answers a DATA_REQUEST from the data sets in the settings.
    private func serveData(_ request: DataRequestHeader, to worker: WorkerID) {
        let bundle = settings.datasets.first { $0.name == request.dataset }
        let reply: ProtocolMessage
        if let file = request.file, let index = request.chunk {
            guard let bundle else {
                onLog?(.warning, "DATA_REQUEST from worker \(worker) for unknown data set \(request.dataset) dropped")
                return
            }
            do {
                let bytes = try bundle.chunk(file: file, index: index, chunkBytes: settings.chunkBytes)
                reply = .dataChunk(DataChunkMessage(header: DataChunkHeader(
                    dataset: bundle.name, file: file, chunk: index, bytes: bytes.count, sha256: SHA256.hex(bytes)), bytes: bytes))
            } catch {
                onLog?(.warning, "DATA_REQUEST from worker \(worker) not answered: \(error)")
                return
            }
        } else if let bundle {
            onLog?(.info, "worker \(worker) asked for data set \(bundle.name) (sha256 \(bundle.sha256.prefix(16))…)")
            reply = .dataManifest(bundle.manifest(chunkBytes: settings.chunkBytes))
        } else {
            reply = .dataManifest(.refusal(request.dataset, "this coordinator does not ship that data set"))
        }
        do {
            if !(try socket.send(frames: [worker.bytes] + codec.encode(reply), dontWait: true)) {
                onLog?(.warning, "\(reply.command.rawValue) to worker \(worker) dropped: its queue is full")
            }
        } catch {
            onLog?(.warning, "\(reply.command.rawValue) to worker \(worker) not sent: \(error)")
        }
    }

    /// Carries out actions; returns the outcome when the run ended.
    private func execute(_ actions: [CoordinatorAction]) throws -> CoordinatorOutcome? {
        var outcome: CoordinatorOutcome?
        for action in actions {
            switch action {
            case .send(let worker, let message):
                do {
                    if !(try socket.send(frames: [worker.bytes] + codec.encode(message), dontWait: true)) {
                        onLog?(.warning, "\(message.command.rawValue) to worker \(worker) dropped: its queue is full")
                    }
                } catch {
                    // A worker that vanished is the state machine's business (it will expire); not fatal here.
                    onLog?(.warning, "\(message.command.rawValue) to worker \(worker) not sent: \(error)")
                }
            case .progress(let worker, let progress): onProgress?(worker, progress)
            case .completed(let jobId, let result): try onCompleted?(jobId, result)
            case .serveData(let worker, let request): serveData(request, to: worker)
            case .log(let level, let text): onLog?(level, text)
            case .runComplete: outcome = .complete
            case .runFailed(let message): outcome = .failed(message)
            }
        }
        return outcome
    }
}
