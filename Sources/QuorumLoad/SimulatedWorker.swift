import Foundation
import QuorumCluster
import QuorumData

/// One simulated worker: a DEALER connection that speaks the protocol as a real worker does (READY,
/// heartbeats, PROGRESS once a second, a RESULT after the job's time), without training anything.
final class SimulatedWorker {
    /// How the worker behaves.
    enum Behaviour: Equatable {
        /// Every job ends with a valid RESULT.
        case steady
        /// Halfway through its first job the worker closes its connection without a word, for good.
        case vanishes
        /// Every RESULT has rows that sum to 0.5: the coordinator rejects it.
        case sendsBadResults
    }

    /// What the worker holds.
    struct Held {
        var header: JobHeader
        var config: Data
        var received: Double
        var nextProgress: Double
    }

    let index: Int
    let behaviour: Behaviour
    private(set) var socket: ZMQSocket?
    private(set) var job: Held?
    /// Over: the run ended for it, it vanished, or it was refused.
    private(set) var isDone = false
    private var lastHeard: Double
    private var nextHeartbeat: Double

    init(index: Int, behaviour: Behaviour, socket: ZMQSocket, at time: Double) {
        self.index = index
        self.behaviour = behaviour
        self.socket = socket
        lastHeard = time
        nextHeartbeat = time
    }

    /// The READY a simulated worker announces itself with.
    var ready: ReadyHeader {
        ReadyHeader(
            version: "loadtest", host: "sim-\(index)", cores: 1, threads: 1, isa: "simulated", datasets: [:],
            machine: "sim-\(index)")
    }

    /// Handles one message from the coordinator at `time`.
    func handle(_ message: ProtocolMessage, at time: Double, _ context: LoadGenerator.Context) {
        context.report.longestCoordinatorSilence = max(context.report.longestCoordinatorSilence, time - lastHeard)
        lastHeard = time
        switch message {
        case .job(let header):
            context.report.jobsReceived += 1
            if let killed = context.vanishedJobs.removeValue(forKey: header.jobId) {
                context.report.requeueSeconds.append(time - killed)
            }
            guard job == nil else {
                let busy = FailedHeader(jobId: header.jobId, error: "worker is busy", retryable: true)
                context.send(.failed(busy), from: self)
                return
            }
            let config = (try? header.config.jsonData()) ?? Data("{}".utf8)
            job = Held(header: header, config: config, received: time, nextProgress: time + 1)
        case .rejected(let header):
            context.report.rejected += 1
            if header.refused { context.report.refused += 1 }
        case .disconnect(let header):
            if header.reason == "run complete" { context.report.finished += 1 }
            close()
        case .heartbeat, .ready, .progress, .result, .failed, .dataRequest, .dataManifest, .dataChunk: break
        }
    }

    /// Sends what is due at `time`: a heartbeat, PROGRESS, the RESULT; vanishes or reconnects when it should.
    func tick(at time: Double, _ context: LoadGenerator.Context) throws {
        guard !isDone else { return }
        if time - lastHeard >= context.settings.heartbeatInterval * Double(context.settings.liveness) {
            // As a real worker: the coordinator is silent, so it counts us dead; a new connection, READY again.
            context.report.longestCoordinatorSilence = max(context.report.longestCoordinatorSilence, time - lastHeard)
            context.report.silentReconnects += 1
            job = nil
            socket?.close()
            socket = try context.connect()
            lastHeard = time
            context.send(.ready(ready), from: self)
        }
        if time >= nextHeartbeat {
            context.send(.heartbeat(HeartbeatHeader()), from: self)
            nextHeartbeat += context.settings.heartbeatInterval
            if nextHeartbeat < time { nextHeartbeat = time + context.settings.heartbeatInterval }
        }
        guard var held = job else { return }
        let elapsed = time - held.received, seconds = context.settings.jobSeconds
        if behaviour == .vanishes && elapsed >= seconds / 2 {
            context.vanishedJobs[held.header.jobId] = time
            context.report.vanished += 1
            close()
            return
        }
        // Results are sent within a time slice per pass, so a round of them cannot hold back everyone's heartbeats.
        if elapsed >= seconds {
            if MonotonicClock.now() < context.resultDeadline { try finish(held, context) }
            return
        }
        if time >= held.nextProgress {
            let batches = max(1, Int(seconds.rounded(.up)))
            let progress = TrainingProgress(
                epoch: 1, epochs: 1, batch: min(batches, Int(elapsed)), batches: batches, loss: 1, accuracy: 0.5,
                imagesPerSecond: 1000)
            context.send(.progress(ProgressHeader(jobId: held.header.jobId, progress: progress)), from: self)
            held.nextProgress += 1
            job = held
        }
    }

    /// Sends the job's RESULT once the factory has built it (the job waits, heartbeating, until then).
    private func finish(_ held: Held, _ context: LoadGenerator.Context) throws {
        guard let build = context.results.output(for: held.config) else { return }
        let output: JobOutput
        switch build {
        case .failed(let reason): throw LoadTestError.noResult(jobId: held.header.jobId, reason: reason)
        case .ready(let built): output = built
        }
        if let rows = context.settings.resultRows, rows != output.testCount {
            throw LoadTestError.rowsMismatch(jobId: held.header.jobId, expected: rows, found: output.testCount)
        }
        var probabilities = output.probabilities
        if behaviour == .sendsBadResults {
            for i in probabilities.indices { probabilities[i] *= 0.5 }
            context.report.badResultsSent += 1
        }
        let history = (try? JSONValue(data: output.history)) ?? .array([])
        let header = ResultHeader(
            jobId: held.header.jobId, validationLoss: output.validationLoss,
            validationAccuracy: output.validationAccuracy, history: history, testCount: output.testCount,
            classes: output.classes, modelBytes: output.model.count)
        context.send(
            .result(ResultMessage(header: header, probabilities: probabilities, model: output.model)), from: self)
        context.report.resultsSent += 1
        job = nil
    }

    /// Closes the connection for good.
    func close() {
        socket?.close()
        socket = nil
        job = nil
        isDone = true
    }
}
