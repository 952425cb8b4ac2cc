import Foundation

/// The hand-over point between a worker's training thread and the network thread that owns the socket
/// (ZeroMQ sockets must stay on one thread): jobs go in, outgoing messages come out, both under one lock.
final class WorkerChannel: @unchecked Sendable {
    /// What the training thread is handed next.
    enum Delivery {
        /// Train this job; stop early when the flag is set.
        case job(JobAssignment, CancellationFlag)
        /// Return from `run()`.
        case stop
    }

    private let condition = NSCondition()
    private var outbox: [ProtocolMessage] = []
    private var deliveries: [Delivery] = []
    private var current: (jobId: String, flag: CancellationFlag)?
    private var stopRequested = false
    private var exit: Result<WorkerExit, Error>?
    private var hint: Int?

    /// Queues a message for the network thread to send.
    func post(_ message: ProtocolMessage) {
        condition.lock()
        outbox.append(message)
        condition.unlock()
    }

    /// Takes every queued outgoing message, oldest first.
    func takeOutbox() -> [ProtocolMessage] {
        condition.lock()
        defer { condition.unlock() }
        let taken = outbox
        outbox.removeAll(keepingCapacity: true)
        return taken
    }

    /// Hands something to the training thread.
    func deliver(_ delivery: Delivery) {
        condition.lock()
        deliveries.append(delivery)
        condition.signal()
        condition.unlock()
    }

    /// Waits for the next delivery.
    func nextDelivery() -> Delivery {
        condition.lock()
        defer { condition.unlock() }
        while deliveries.isEmpty { condition.wait() }
        return deliveries.removeFirst()
    }

    /// Records a new job as current and delivers it; nil (nothing delivered) when one is already running.
    func begin(_ header: JobHeader) -> CancellationFlag? {
        condition.lock()
        defer { condition.unlock() }
        guard current == nil else { return nil }
        let flag = CancellationFlag()
        current = (header.jobId, flag)
        hint = nil
        deliveries.append(.job(JobAssignment(header), flag))
        condition.signal()
        return flag
    }

    /// Records the coordinator's latest thread-count hint for the current job (nil: the job's own count).
    /// Hints that arrive while no job runs are dropped: the next JOB starts from its own count.
    func setThreadHint(_ threads: Int?) {
        condition.lock()
        if current != nil { hint = threads }
        condition.unlock()
    }

    /// The thread count the coordinator lets the current job use, if it differs from the job's own.
    var threadHint: Int? {
        condition.lock()
        defer { condition.unlock() }
        return hint
    }

    /// The job being trained, if any.
    var currentJobId: String? {
        condition.lock()
        defer { condition.unlock() }
        return current?.jobId
    }

    /// Cancels the current job and forgets it, so whatever the training thread produces is not sent.
    /// Returns the job's id.
    func abandonCurrentJob(reason: String) -> String? {
        condition.lock()
        defer { condition.unlock() }
        guard let job = current else { return nil }
        job.flag.cancel(reason: reason)
        current = nil
        return job.jobId
    }

    /// Ends the training thread's job: queues its RESULT or FAILED only if the job was not abandoned
    /// meanwhile (checked under the same lock, so the network thread never reports a job twice).
    func finish(jobId: String, flag: CancellationFlag, message: ProtocolMessage?) {
        condition.lock()
        defer { condition.unlock() }
        guard let job = current, job.jobId == jobId, job.flag === flag else { return }
        current = nil
        if let message { outbox.append(message) }
    }

    /// The network thread has ended with `result`: the training thread is told to stop.
    func networkFinished(_ result: Result<WorkerExit, Error>) {
        condition.lock()
        exit = result
        deliveries.append(.stop)
        condition.signal()
        condition.unlock()
    }

    /// How the network thread ended, once it has.
    var networkResult: Result<WorkerExit, Error>? {
        condition.lock()
        defer { condition.unlock() }
        return exit
    }

    /// Asks the network thread to report the current job failed, say goodbye and stop.
    func requestStop() {
        condition.lock()
        stopRequested = true
        condition.unlock()
    }

    /// Whether a stop was requested.
    var isStopRequested: Bool {
        condition.lock()
        defer { condition.unlock() }
        return stopRequested
    }
}
