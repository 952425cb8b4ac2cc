import Crypto
import Foundation
import Logging
import QuorumData

/// The coordinator's socket loop: a ROUTER socket feeding a `CoordinatorStateMachine` and carrying out
/// its actions. All scheduling decisions live in the state machine; this moves bytes, reads the clock,
/// paces data chunks to what each peer reads, and reports refused connections.
///
/// `run()` blocks the calling thread, which owns the socket; callbacks run on that thread too. Every log
/// line passes through `PeerText.escaped`, so nothing a peer sends can reach a terminal raw.
public final class CoordinatorServer {
    /// The scheduling logic this loop drives (read its `status` from the callbacks).
    public let machine: CoordinatorStateMachine
    /// Loop settings.
    public let settings: CoordinatorServerSettings
    /// Called for every PROGRESS from the worker holding the job.
    public var onProgress: ((WorkerID, ProgressHeader) -> Void)?
    /// Called once per completed job with its checked result; an error thrown here (a disk that cannot
    /// store the member, say) ends `run()`.
    public var onCompleted: ((String, ResultMessage) throws -> Void)?
    /// Called for each rejected result, refused worker, given-up job and member trained on another instruction
    /// set (`.rejected`, `.refused`, `.jobFailed`, `.otherInstructionSet`), for the journal; an error thrown here
    /// ends `run()`.
    public var onRecord: ((CoordinatorAction) throws -> Void)?
    /// Where the loop's and the state machine's log lines go.
    public var logger: Logger
    /// Receives a snapshot of the run about twice a second, for a metrics endpoint.
    public let monitor: CoordinatorMonitor

    private let context: ZMQContext
    private let socket: ZMQSocket
    private let codec: MessageCodec
    private let stop = CancellationFlag()
    private var zap: ZAPHandler?
    private var refusals: HandshakeRefusals?
    private var limiter = LogLimiter()
    /// Chunk requests waiting for room in their peer's queue, oldest first.
    private var pendingChunks: [WorkerID: [DataRequestHeader]] = [:]
    /// Messages whose handling waits for its turn: every RESULT (checked and stored on this thread, milliseconds
    /// each) and whatever its sender sent after it, so the sender's messages keep their order. Heartbeats and
    /// PROGRESS of everyone else are handled at once: a burst of results cannot starve them.
    private var deferred: [(worker: WorkerID, handle: () -> [CoordinatorAction])] = []
    private var deferredCount: [WorkerID: Int] = [:]
    private static let plainHeartbeat = ProtocolMessage.heartbeat(HeartbeatHeader())
    private lazy var plainHeartbeatFrames = codec.encode(Self.plainHeartbeat)
    /// The loop's own totals, merged into the monitor's snapshots.
    private var traffic = CoordinatorSnapshot()
    private var nextPublish = -Double.infinity

    /// A server for `machine` logging to `logger`; call `bind` before `run`.
    public init(
        machine: CoordinatorStateMachine, settings: CoordinatorServerSettings = CoordinatorServerSettings(),
        context: ZMQContext? = nil, logger: Logger = .silent("quorum.coordinator"),
        monitor: CoordinatorMonitor = CoordinatorMonitor()
    ) throws {
        self.machine = machine
        self.monitor = monitor
        self.settings = settings
        self.logger = logger
        self.context = try context ?? ZMQContext()
        codec = MessageCodec(limits: settings.limits)
        socket = try self.context.socket(.router)
        try socket.setLinger(settings.linger)
        try socket.setRouterMandatory(true)
        try socket.setMaxMessageSize(settings.limits.maxMessageBytes)
        try socket.setHandshakeInterval(settings.handshakeTimeout)
        try socket.setHeartbeatInterval(settings.transportHeartbeat)
        try socket.setHeartbeatTimeout(settings.transportTimeout)
        try socket.setHeartbeatTTL(settings.transportTimeout)
        try socket.setSendHighWaterMark(settings.sendHighWaterMark)
        try socket.setReceiveHighWaterMark(settings.receiveHighWaterMark)
        if let secret = settings.curveSecretKey {
            if let keys = settings.authorizedKeys {
                // Bound before the ROUTER exists, so no handshake can slip past the allow-list.
                zap = try ZAPHandler(context: self.context, authorizedKeys: keys)
                try socket.setZAPDomain("quorum")
            }
            try socket.setCurveServer(true)
            try socket.setCurveSecretKey(secret)
        }
        refusals = try HandshakeRefusals(watching: socket, context: self.context, curve: settings.curveSecretKey != nil)
    }

    deinit {
        refusals?.close()
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

    /// Serves workers until the run completes (with every member or with those it could get) or is stopped.
    public func run() throws -> CoordinatorOutcome {
        defer { refusals?.close(); refusals = nil; socket.close(); zap?.stop(); publish(force: true) }
        var poller = ZMQPoller(sockets: [socket] + (refusals.map { [$0.socket] } ?? []))
        if let outcome = try execute(machine.tick(at: MonotonicClock.now())) { return try closing(outcome, &poller) }
        while true {
            if stop.isCancelled { return .stopped }
            if try poller.poll(timeout: deferred.isEmpty ? settings.pollInterval : 0)[0] {
                // Bounded in count and time so a burst of results (each checked and stored on this thread)
                // cannot hold back the heartbeats the workers wait for.
                let deadline = MonotonicClock.now() + Self.batchSeconds
                if let outcome = try receiveWaiting(limit: 256, until: deadline) {
                    return try closing(outcome, &poller)
                }
            }
            if let outcome = try handleDeferred(until: MonotonicClock.now() + Self.batchSeconds) {
                return try closing(outcome, &poller)
            }
            pumpChunks()
            // No worker is expired while its messages may still wait in the queue: a coordinator busy with a burst
            // must not take its own delay for the workers' silence.
            if machine.expiryDue(at: MonotonicClock.now()),
                let outcome = try receiveWaiting(limit: 65_536, until: MonotonicClock.now() + 2)
            {
                return try closing(outcome, &poller)
            }
            if let outcome = try execute(machine.tick(at: MonotonicClock.now())) {
                return try closing(outcome, &poller)
            }
            logRefusals()
            publish()
        }
    }

    /// Hands the monitor a fresh snapshot, at most twice a second unless `force`d.
    private func publish(force: Bool = false) {
        let now = MonotonicClock.now()
        guard force || now >= nextPublish else { return }
        nextPublish = now + 0.5
        var snapshot = machine.snapshot()
        snapshot.messagesReceived = traffic.messagesReceived
        snapshot.messagesSent = traffic.messagesSent
        snapshot.dataBytesShipped = traffic.dataBytesShipped
        snapshot.curveRefusals = traffic.curveRefusals
        monitor.publish(snapshot)
    }

    /// The longest the loop handles received messages before it looks at the clock (heartbeats, expiry).
    static let batchSeconds = 0.05

    /// Handles waiting messages, at most `limit` or until `deadline`; the outcome when the run ended.
    private func receiveWaiting(limit: Int, until deadline: Double) throws -> CoordinatorOutcome? {
        var count = 0
        while count < limit, MonotonicClock.now() < deadline, let message = try socket.receiveWithPeer(dontWait: true) {
            count += 1
            if let outcome = try execute(receive(message)) { return outcome }
        }
        return nil
    }

    /// Handles deferred messages, oldest first, until `deadline`; the outcome when the run ended.
    private func handleDeferred(until deadline: Double) throws -> CoordinatorOutcome? {
        var handled = 0
        defer { deferred.removeFirst(handled) }
        while handled < deferred.count, handled == 0 || MonotonicClock.now() < deadline {
            let (worker, handle) = deferred[handled]
            handled += 1
            deferredCount[worker] = deferredCount[worker].map { $0 > 1 ? $0 - 1 : nil } ?? nil
            if let outcome = try execute(handle()) { return outcome }
        }
        return nil
    }

    /// Whether a message from `worker` waits its turn: a RESULT, or anything behind one of its own. The machine
    /// still counts it as a sign of life now.
    private func shouldDefer(_ command: Command?, from worker: WorkerID, at time: Double) -> Bool {
        guard command == .result || deferredCount[worker] != nil else { return false }
        machine.noteAlive(worker, at: time)
        deferredCount[worker, default: 0] += 1
        return true
    }

    /// For `closingGrace` seconds after the run ended, tells every worker still talking that it is over.
    private func closing(_ outcome: CoordinatorOutcome, _ poller: inout ZMQPoller) throws -> CoordinatorOutcome {
        if outcome == .stopped { return outcome }
        let deadline = MonotonicClock.now() + settings.closingGrace
        var told = Set<Data>()
        while MonotonicClock.now() < deadline && !stop.isCancelled {
            guard try poller.poll(timeout: settings.pollInterval)[0] else { logRefusals(); continue }
            while let frames = try socket.receive(dontWait: true) {
                guard let id = frames.first, !told.contains(id) else { continue }
                if case .disconnect? = try? codec.decode(Array(frames.dropFirst())) { continue }
                told.insert(id)
                _ = try? socket.send(
                    frames: [id] + codec.encode(.disconnect(DisconnectHeader(reason: "run complete"))),
                    dontWait: true)
            }
        }
        return outcome
    }

    private func receive(_ message: (frames: [Data], userId: String?, address: String?)) -> [CoordinatorAction] {
        guard let first = message.frames.first else { return [] }
        traffic.messagesReceived += 1
        let worker = WorkerID(first)
        let peer = PeerInfo(curveKey: message.userId, address: message.address)
        let now = MonotonicClock.now()
        let frames = Array(message.frames.dropFirst())
        let handle: () -> [CoordinatorAction]
        do {
            // Most traffic is the plain heartbeat, recognised without a JSON parser.
            let decoded = frames == plainHeartbeatFrames ? Self.plainHeartbeat : try codec.decode(frames)
            handle = { [machine] in machine.handle(decoded, from: worker, peer: peer, at: MonotonicClock.now()) }
        } catch {
            let command = MessageCodec.command(of: frames)
            let jobId = command == .result ? MessageCodec.jobId(of: frames, limits: settings.limits) : nil
            handle = { [machine] in
                machine.handleInvalid(
                    from: worker, error: error, command: command, jobId: jobId, peer: peer, at: MonotonicClock.now())
            }
        }
        if shouldDefer(MessageCodec.command(of: frames), from: worker, at: now) {
            deferred.append((worker, handle))
            return []
        }
        return handle()
    }

    private func log(_ level: Logger.Level, _ text: String) {
        logger.log(level: level, "\(PeerText.escaped(text, limit: 2048))")
    }

    /// A warning about `peer`, at most one line per peer per interval.
    private func warn(_ peer: String, _ text: String) {
        if let line = limiter.note(peer, text, at: MonotonicClock.now()) { log(.warning, line) }
    }

    private func logRefusals() {
        for line in limiter.flush(at: MonotonicClock.now()) { log(.warning, line) }
        for refusal in zap?.takeRefusals() ?? [] {
            traffic.curveRefusals += 1
            warn(
                "refused \(refusal.address)",
                "refused a worker at \(refusal.address): CURVE key \(refusal.key) is not in the authorized keys")
        }
        for refusal in refusals?.take() ?? [] {
            // The ZAP handler already named (and counted) the key of a refused CURVE client.
            if zap != nil, refusal.reason.hasPrefix("its CURVE key is not among") { continue }
            traffic.curveRefusals += 1
            warn(
                "refused \(refusal.host): \(refusal.reason)",
                "refused a connection from \(refusal.address): \(refusal.reason)")
        }
    }

    /// Answers a DATA_REQUEST: a manifest at once; a chunk when its peer's queue has room (see `pumpChunks`).
    private func serveData(_ request: DataRequestHeader, to worker: WorkerID) {
        let bundle = settings.datasets.first { $0.name == request.dataset }
        if request.file != nil {
            guard bundle != nil else {
                warn("\(worker)", "DATA_REQUEST from worker \(worker) for unknown data set \(request.dataset) dropped")
                return
            }
            var queue = pendingChunks[worker] ?? []
            guard queue.count < settings.maxPendingDataRequests else {
                warn(
                    "\(worker)",
                    "DATA_REQUEST from worker \(worker) dropped: "
                        + "\(queue.count) chunk requests already wait for it to read")
                return
            }
            queue.append(request)
            pendingChunks[worker] = queue
            pumpChunks()
            return
        }
        let reply: ProtocolMessage
        if let bundle {
            log(.info, "worker \(worker) asked for data set \(bundle.name) (sha256 \(bundle.sha256.prefix(16))…)")
            reply = .dataManifest(bundle.manifest(chunkBytes: settings.chunkBytes, url: settings.dataURL))
        } else {
            reply = .dataManifest(.refusal(request.dataset, "this coordinator does not ship that data set"))
        }
        send(reply, to: worker)
    }

    /// Sends waiting chunks while each peer's queue (`sendHighWaterMark`) has room: a chunk is read from disk
    /// only when it can leave, so a peer that never reads costs a bounded queue, not a copy of the data set.
    private func pumpChunks() {
        guard !pendingChunks.isEmpty else { return }
        // Requests of workers that expired or were refused go with them.
        for worker in pendingChunks.keys where !machine.isRegistered(worker) { pendingChunks[worker] = nil }
        for (worker, queue) in pendingChunks {
            var rest = queue[...]
            while let request = rest.first, let file = request.file, let index = request.chunk {
                guard let bundle = settings.datasets.first(where: { $0.name == request.dataset }) else {
                    rest.removeFirst()
                    continue
                }
                let message: ProtocolMessage
                do {
                    let bytes = try bundle.chunk(file: file, index: index, chunkBytes: settings.chunkBytes)
                    message = .dataChunk(
                        DataChunkMessage(
                            header: DataChunkHeader(
                                dataset: bundle.name, file: file, chunk: index, bytes: bytes.count,
                                sha256: SHA256.hex(bytes)),
                            bytes: bytes))
                } catch {
                    warn("\(worker)", "DATA_REQUEST from worker \(worker) not answered: \(error)")
                    rest.removeFirst()
                    continue
                }
                do {
                    guard try socket.send(frames: [worker.bytes] + codec.encode(message), dontWait: true) else { break }
                    traffic.messagesSent += 1
                    if case .dataChunk(let chunk) = message { traffic.dataBytesShipped += chunk.bytes.count }
                    rest.removeFirst()
                } catch {
                    // The peer is gone (EHOSTUNREACH): nothing more goes to it.
                    rest.removeAll()
                }
            }
            pendingChunks[worker] = rest.isEmpty ? nil : Array(rest)
        }
    }

    private func send(_ message: ProtocolMessage, to worker: WorkerID) {
        do {
            // The plain heartbeat goes to every worker every interval: encoded once.
            let frames = message == Self.plainHeartbeat ? plainHeartbeatFrames : codec.encode(message)
            if try socket.send(frames: [worker.bytes] + frames, dontWait: true) {
                traffic.messagesSent += 1
            } else {
                warn("\(worker)", "\(message.command.rawValue) to worker \(worker) dropped: it does not read its queue")
            }
        } catch {
            // A worker that vanished is the state machine's business (it will expire); not fatal here.
            pendingChunks[worker] = nil
            warn("\(worker)", "\(message.command.rawValue) to worker \(worker) not sent: \(error)")
        }
    }

    /// Carries out actions; returns the outcome when the run ended.
    private func execute(_ actions: [CoordinatorAction]) throws -> CoordinatorOutcome? {
        var outcome: CoordinatorOutcome?
        for action in actions {
            switch action {
            case .send(let worker, let message):
                send(message, to: worker)
                if case .disconnect = message { pendingChunks[worker] = nil }
            case .progress(let worker, let progress): onProgress?(worker, progress)
            case .completed(let jobId, let result): try onCompleted?(jobId, result)
            case .rejected, .refused, .jobFailed, .otherInstructionSet: try onRecord?(action)
            case .serveData(let worker, let request): serveData(request, to: worker)
            case .log(let level, let text): log(level, text)
            case .runComplete: outcome = .complete
            case .runIncomplete(let failed): outcome = .incomplete(failed)
            }
        }
        return outcome
    }
}
