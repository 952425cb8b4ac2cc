import Foundation
import Logging
import QuorumCluster

/// Simulates many workers against one coordinator from a single process and thread: N DEALER connections
/// speaking the real protocol (docs/protocol.md), to measure how the coordinator copes at scale.
///
/// Each simulated worker sends READY, a heartbeat every interval, PROGRESS once a second while it holds a
/// job, and a valid RESULT (a really trained small member, see `ResultFactory`) after `jobSeconds`. Shares of
/// them can vanish mid-job or send results that fail the coordinator's checks. One thread polls every
/// connection, so the figures measure the coordinator, not thread scheduling here.
public final class LoadGenerator {
    /// The settings of this test.
    public let settings: LoadTestSettings
    /// Where progress lines go.
    public let logger: Logger
    private let stop = CancellationFlag()

    /// The state the simulated workers share: the report being filled, sending and reconnecting.
    final class Context {
        let settings: LoadTestSettings
        let results = ResultFactory()
        var report = LoadTestReport()
        /// Jobs whose holder vanished, with the time it did.
        var vanishedJobs: [String: Double] = [:]
        let codec = MessageCodec()
        let zmq: ZMQContext
        /// Set when a socket changed, so the poller is rebuilt.
        var socketsChanged = false
        /// Until when this pass may send RESULTs (heartbeats and PROGRESS are always sent).
        var resultDeadline = 0.0

        init(settings: LoadTestSettings) throws {
            self.settings = settings
            // Room for every worker to reconnect at once: a closed socket's slot is freed only once libzmq has
            // reaped it.
            zmq = try ZMQContext(maxSockets: 2 * settings.workers + 64)
        }

        /// A new DEALER connected to the coordinator, with the worker's CURVE keys when set.
        func connect() throws -> ZMQSocket {
            let socket = try zmq.socket(.dealer)
            try socket.setLinger(0)
            try socket.setMaxMessageSize(ProtocolLimits().maxMessageBytes)
            if let curve = settings.curve {
                try socket.setCurveServerKey(curve.serverKey)
                try socket.setCurvePublicKey(curve.keys.publicKey)
                try socket.setCurveSecretKey(curve.keys.secretKey)
            }
            try socket.connect(settings.endpoint)
            socketsChanged = true
            return socket
        }

        /// Sends `message` on `worker`'s connection without waiting; a full queue drops it, as it would a
        /// real worker's heartbeat.
        func send(_ message: ProtocolMessage, from worker: SimulatedWorker) {
            guard let socket = worker.socket else { return }
            let frames = codec.encode(message)
            if (try? socket.send(frames: frames, dontWait: true)) == true {
                report.messagesSent += 1
                report.bytesSent += frames.reduce(0) { $0 + $1.count }
            }
        }
    }

    /// A load test with `settings`, logging a line every few seconds to `logger`.
    public init(settings: LoadTestSettings, logger: Logger = .silent("quorum.loadtest")) throws {
        try settings.validate()
        self.settings = settings
        self.logger = logger
    }

    /// Ends `run` at its next poll; safe from any thread.
    public func requestStop() { stop.cancel(reason: "stop requested") }

    /// Connects every simulated worker and serves them until the coordinator ends the run for all of them,
    /// `duration` passes or `requestStop` is called. Throws when a job's result cannot be built.
    public func run() throws -> LoadTestReport {
        let context = try Context(settings: settings)
        let started = MonotonicClock.now()
        var workers: [SimulatedWorker] = []
        for i in 0..<settings.workers {
            let worker = SimulatedWorker(
                index: i, behaviour: settings.behaviour(of: i), socket: try context.connect(), at: started)
            context.send(.ready(worker.ready), from: worker)
            workers.append(worker)
        }
        context.report.workers = workers.count
        defer { for worker in workers { worker.close() } }
        var live: [SimulatedWorker] = []
        var poller = ZMQPoller(sockets: [])
        var nextLog = started + 5
        while !stop.isCancelled {
            let now = MonotonicClock.now()
            if let duration = settings.duration, now - started >= duration { break }
            if context.socketsChanged {
                live = workers.filter { $0.socket != nil }
                poller = ZMQPoller(sockets: live.compactMap(\.socket))
                context.socketsChanged = false
                if live.isEmpty { break }
            }
            let readable = try poller.poll(timeout: 0.01)
            let time = MonotonicClock.now()
            for (worker, ready) in zip(live, readable) where ready {
                while let socket = worker.socket, let frames = try? socket.receive(dontWait: true) {
                    context.report.messagesReceived += 1
                    context.report.bytesReceived += frames.reduce(0) { $0 + $1.count }
                    guard let message = try? context.codec.decode(frames) else { continue }
                    worker.handle(message, at: time, context)
                    if worker.socket == nil { context.socketsChanged = true }
                }
            }
            context.resultDeadline = MonotonicClock.now() + 0.02
            for worker in live where worker.socket != nil {
                try worker.tick(at: time, context)
                if worker.socket == nil { context.socketsChanged = true }
            }
            if time >= nextLog {
                nextLog = time + 5
                logger.info("\(context.report.lines()[1]); \(live.count) connection(s) open")
            }
        }
        context.report.seconds = MonotonicClock.now() - started
        return context.report
    }
}
