import Foundation
import Logging
import CZeroMQ

/// A worker: connects a DEALER to the coordinator, announces itself, trains the jobs it is given with
/// the injected `JobRunner`, and keeps the connection alive (the zguide's Paranoid Pirate worker).
///
/// `run()` trains on the calling thread. A background thread owns the socket, since ZeroMQ sockets are
/// not thread-safe: it heartbeats, watches for a silent coordinator (reconnecting with exponential
/// back-off), and sends what the training thread queues through a locked mailbox it polls.
public final class WorkerClient {
    /// The coordinator's endpoint.
    public let endpoint: String
    /// What READY says about this worker.
    public let info: ReadyHeader
    /// Timing, limits and keys.
    public let settings: WorkerSettings
    /// Where log lines go, written from the network thread (the CLI names the worker in its metadata); lines
    /// about a job carry its id as `job` metadata.
    public let logger: Logger
    /// Fetches the data sets jobs name (from the coordinator when needed); nil without a data cache.
    public let datasets: DatasetFetcher?

    private let runner: JobRunner
    private let context: ZMQContext
    private let codec: MessageCodec
    private let channel = WorkerChannel()

    /// A worker for the coordinator at `endpoint`, logging to `logger`; nothing connects before `run()`.
    public init(
        endpoint: String, info: ReadyHeader, settings: WorkerSettings = WorkerSettings(),
        context: ZMQContext? = nil, logger: Logger = .silent("quorum.worker"), runner: JobRunner
    ) throws {
        self.endpoint = endpoint
        self.info = info
        self.settings = settings
        self.logger = logger
        self.runner = runner
        self.context = try context ?? ZMQContext()
        codec = MessageCodec(limits: settings.limits)
        datasets = settings.dataCache.map { DatasetFetcher(cache: $0, logger: logger) }
    }

    /// `logger` with `jobId` (escaped: the coordinator chose it) as `job` metadata.
    private func jobLogger(_ jobId: String) -> Logger {
        var logger = self.logger
        logger[metadataKey: "job"] = .string(PeerText.escaped(jobId, limit: 80))
        return logger
    }

    /// Asks the worker to cancel its job, report it FAILED (retryable), send DISCONNECT and return from
    /// `run()`. Safe from any thread, e.g. a dispatch source handling SIGTERM/SIGINT.
    public func requestStop() { channel.requestStop() }

    /// Serves the coordinator until it says DISCONNECT or `requestStop()` is called.
    public func run() throws -> WorkerExit {
        let finished = DispatchSemaphore(value: 0)
        let thread = Thread { [self] in
            channel.networkFinished(Result { try networkLoop() })
            finished.signal()
        }
        thread.name = "quorum-worker-network"
        thread.start()
        while case .job(let assignment, let flag) = channel.nextDelivery() {
            runJob(assignment, flag)
        }
        finished.wait()
        return try channel.networkResult?.get() ?? .stopped
    }

    // MARK: training thread

    private func runJob(_ assignment: JobAssignment, _ flag: CancellationFlag) {
        let reporter = ProgressReporter(jobId: assignment.jobId, channel: channel, limits: settings.limits)
        var message: ProtocolMessage?
        do {
            let output = try runner.run(assignment, reporter: reporter, cancel: flag)
            if !flag.isCancelled { message = result(assignment.jobId, output) }
        } catch {
            if !flag.isCancelled {
                message = failed(assignment.jobId, "\(error)", retryable: !(error is PermanentJobError))
            }
        }
        channel.finish(jobId: assignment.jobId, flag: flag, message: message)
    }

    /// The RESULT for `output`, or a non-retryable FAILED when the output breaks the protocol (the
    /// coordinator would drop it, and the same code would produce it again).
    private func result(_ jobId: String, _ output: JobOutput) -> ProtocolMessage {
        let history: JSONValue
        do { history = try JSONValue(data: output.history) } catch {
            return failed(jobId, "training history is not valid JSON", retryable: false)
        }
        let message = ProtocolMessage.result(
            ResultMessage(
                header: ResultHeader(
                    jobId: jobId, validationLoss: output.validationLoss,
                    validationAccuracy: output.validationAccuracy, history: history,
                    testCount: output.testCount, classes: output.classes, modelBytes: output.model.count,
                    snapshots: output.snapshots.isEmpty
                        ? nil
                        : output.snapshots.enumerated().map {
                            ResultSnapshot(
                                cycle: $0.offset + 1, validationLoss: $0.element.validationLoss,
                                validationAccuracy: $0.element.validationAccuracy, modelBytes: $0.element.model.count)
                        }),
                probabilities: output.probabilities, model: output.model,
                snapshots: output.snapshots.map { SnapshotFrames(probabilities: $0.probabilities, model: $0.model) }))
        do {
            _ = try codec.decode(codec.encode(message))
        } catch {
            return failed(jobId, "training produced an invalid result: \(error)", retryable: false)
        }
        return message
    }

    private func failed(_ jobId: String, _ error: String, retryable: Bool) -> ProtocolMessage {
        var text = error
        let limit = settings.limits.maxErrorBytes
        while text.utf8.count > limit { text = String(text.prefix(max(0, text.count * limit / text.utf8.count - 1))) }
        return .failed(FailedHeader(jobId: jobId, error: text, retryable: retryable))
    }

    // MARK: network thread

    /// Watches handshakes so that a refused worker stops instead of retrying forever: a CURVE key the
    /// coordinator refuses, a wrong server key, or no CURVE at all against a coordinator that requires it.
    private struct HandshakeWatch {
        var firstFailure: Double?
        var detail = ""
        var connected = false

        mutating func note(_ event: ZMQMonitor.Event, at now: Double) {
            switch event.kind {
            case ZMQ_EVENT_CONNECTED: connected = true
            case ZMQ_EVENT_HANDSHAKE_SUCCEEDED: firstFailure = nil; connected = false
            case ZMQ_EVENT_HANDSHAKE_FAILED_AUTH:
                failed(at: now, "the coordinator refused this worker's key, ZAP status \(event.value)")
            case ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL
            where event.value == UInt32(ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH):
                failed(at: now, "the coordinator uses another security mechanism")
            case ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL, ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL:
                failed(at: now, "handshake error \(event.value)")
            case ZMQ_EVENT_DISCONNECTED where connected:
                // Closed before the handshake finished: what a coordinator does with a HELLO it cannot decrypt.
                connected = false
                failed(at: now, "the coordinator closed the connection during the handshake")
            default: break
            }
        }

        private mutating func failed(at now: Double, _ text: String) {
            // The disconnection that follows a failed handshake says nothing new.
            connected = false
            if firstFailure == nil { firstFailure = now }
            detail = text
        }
    }

    private func connect() throws -> (ZMQSocket, ZMQMonitor?) {
        let socket = try context.socket(.dealer)
        var monitor: ZMQMonitor?
        do {
            try socket.setLinger(1)
            try WorkerSocketOptions(settings).apply(to: socket)
            if let server = settings.curveServerKey {
                guard let keys = settings.curveKeys else {
                    throw ZMQError(
                        operation: "CURVE client set-up: a server key needs this worker's key pair too", code: EINVAL)
                }
                try socket.setCurveServerKey(server)
                try socket.setCurvePublicKey(keys.publicKey)
                try socket.setCurveSecretKey(keys.secretKey)
            }
            // Watched with or without CURVE: a worker without keys against a CURVE coordinator must stop too.
            monitor = try ZMQMonitor(watching: socket, context: context)
            try socket.connect(endpoint)
            try send(.ready(info), on: socket)
        } catch {
            monitor?.close()
            socket.close()
            throw error
        }
        return (socket, monitor)
    }

    private func send(_ message: ProtocolMessage, on socket: ZMQSocket) throws {
        if !(try socket.send(frames: codec.encode(message), dontWait: true)) {
            logger.warning("\(message.command.rawValue) to the coordinator dropped: the send queue is full")
        }
    }

    private func networkLoop() throws -> WorkerExit {
        let interval = settings.heartbeatInterval
        // Before READY, so a coordinator that hears this worker finds its cache already tidy.
        if let removed = datasets?.cache.removeStalePartials(), removed > 0 {
            logger.info("removed \(removed) unfinished download folder(s) of stopped workers")
        }
        var backoff = ReconnectBackoff(initial: settings.reconnectInitial, maximum: settings.reconnectMax)
        var (socket, monitor) = try connect()
        defer { monitor?.close(); socket.close() }
        var poller = ZMQPoller(sockets: [socket] + (monitor.map { [$0.socket] } ?? []))
        var lastHeard = MonotonicClock.now()
        var nextBeat = lastHeard + interval
        var handshake = HandshakeWatch()
        // When a message last came through; unlike `lastHeard` it is not reset by reconnecting.
        var lastMessage = -Double.infinity
        var invalid = InvalidMessageLog()
        logger.info("connecting to \(endpoint)")
        while true {
            for message in channel.takeOutbox() { try send(message, on: socket) }
            for request in datasets?.outgoing() ?? [] { try send(.dataRequest(request), on: socket) }
            if channel.isStopRequested {
                if let jobId = channel.abandonCurrentJob(reason: "worker stopping") {
                    try send(failed(jobId, "worker stopping", retryable: true), on: socket)
                }
                try send(.disconnect(DisconnectHeader(reason: "worker stopping")), on: socket)
                logger.info("stopping")
                return .stopped
            }
            let readable = try poller.poll(timeout: settings.pollInterval)
            if let monitor, readable.count > 1, readable[1] {
                while let event = try monitor.next() { handshake.note(event, at: MonotonicClock.now()) }
            }
            if let first = handshake.firstFailure, lastMessage < first,
                MonotonicClock.now() - first >= settings.handshakeTimeout
            {
                let seconds = MonotonicClock.now() - first
                if settings.curveKeys == nil {
                    throw WorkerError.curveRequired(endpoint: endpoint, seconds: seconds, detail: handshake.detail)
                }
                throw WorkerError.handshakeFailed(endpoint: endpoint, seconds: seconds, detail: handshake.detail)
            }
            if readable[0] {
                while let frames = try socket.receive(dontWait: true) {
                    let message: ProtocolMessage
                    do { message = try codec.decode(frames) } catch {
                        refuse(frames, error, &invalid)
                        continue
                    }
                    lastHeard = MonotonicClock.now()
                    lastMessage = lastHeard
                    backoff.reset()
                    switch message {
                    case .heartbeat(let header):
                        channel.setThreadHint(header.threads)
                    case .job(let header):
                        if channel.begin(header) != nil {
                            let job = "\(PeerText.escaped(header.jobId)) (member \(header.memberIndex)"
                            jobLogger(header.jobId).info("job \(job), attempt \(header.attempt))")
                        } else {
                            let busy = channel.currentJobId ?? "?"
                            try send(
                                failed(header.jobId, "worker is busy with job \(busy)", retryable: true), on: socket)
                        }
                    case .disconnect(let header):
                        _ = channel.abandonCurrentJob(reason: "coordinator disconnected")
                        let reason = header.reason.map { ": \(PeerText.escaped($0))" } ?? ""
                        logger.info("coordinator disconnected\(reason)")
                        return .disconnected(reason: header.reason)
                    case .dataManifest, .dataChunk:
                        datasets?.received(message)
                    case .rejected(let header):
                        let (job, reason) = (PeerText.escaped(header.jobId), PeerText.escaped(header.reason))
                        jobLogger(header.jobId).warning("the coordinator rejected the result of job \(job): \(reason)")
                    case .ready, .progress, .result, .failed, .dataRequest:
                        logger.warning("\(message.command.rawValue) from the coordinator ignored: only workers send it")
                    }
                }
            }
            let now = MonotonicClock.now()
            if now >= nextBeat {
                try send(.heartbeat(HeartbeatHeader()), on: socket)
                nextBeat = now + interval
            }
            if now - lastHeard >= interval * Double(settings.liveness) {
                // The coordinator has given up on this connection too, and re-queued any job it gave us.
                if let jobId = channel.abandonCurrentJob(reason: "lost the coordinator") {
                    jobLogger(jobId).warning("job \(PeerText.escaped(jobId)) abandoned: the coordinator went silent")
                }
                _ = channel.takeOutbox()
                datasets?.interrupt("lost the coordinator")
                let wait = backoff.next()
                let silent = String(format: "%.1f", now - lastHeard)
                logger.warning("coordinator silent for \(silent) s; reconnecting in \(wait) s")
                monitor?.close()
                socket.close()
                if try sleepUnlessStopped(wait) { return .stopped }
                (socket, monitor) = try connect()
                poller = ZMQPoller(sockets: [socket] + (monitor.map { [$0.socket] } ?? []))
                lastHeard = MonotonicClock.now()
                nextBeat = lastHeard + interval
            }
        }
    }

    /// Logs a message that failed to decode (escaped, and at most one line per 5 s with a count), and fails
    /// an open data set request when the message was that data set's manifest: a corrected one will not come.
    private func refuse(_ frames: [Data], _ error: Error, _ invalid: inout InvalidMessageLog) {
        let text = PeerText.escaped("\(error)", limit: 300)
        if frames.count > 1, frames[0] == Data(Envelope.protocolId.utf8),
            frames[1] == Data(Command.dataManifest.rawValue.utf8)
        {
            datasets?.rejectManifest(text)
        }
        if let line = invalid.note(text, at: MonotonicClock.now()) { logger.warning("\(line)") }
    }

    /// Waits `seconds`, checking for a stop request; returns true when stopped.
    private func sleepUnlessStopped(_ seconds: Double) throws -> Bool {
        let end = MonotonicClock.now() + seconds
        while MonotonicClock.now() < end {
            if channel.isStopRequested { return true }
            Thread.sleep(forTimeInterval: min(0.02, max(0, end - MonotonicClock.now())))
        }
        return channel.isStopRequested
    }
}
