import Foundation
import QuorumCluster

/// Small builders shared by the cluster tests.
public enum Fixtures {
    /// Planned jobs `member-0`... with a small config each.
    public static func plan(_ count: Int, threads: Int = 1) -> [PlannedJob] {
        (0..<count).map { i in
            PlannedJob(
                jobId: "member-\(i)", memberIndex: i, threads: threads,
                config: Data(#"{"seed":\#(i + 1),"epochs":2,"lr":0.001}"#.utf8))
        }
    }

    /// A READY from `host`, holding Fashion-MNIST, naming instruction set `isa`.
    public static func ready(_ host: String = "host-a", threads: Int = 1, isa: String? = "avx2") -> ProtocolMessage {
        .ready(
            ReadyHeader(
                version: "0.1.0", host: host, cores: 2, threads: threads, isa: isa,
                datasets: ["fashion-mnist": String(repeating: "ab", count: 32)]))
    }

    /// A well-formed RESULT for `jobId`: rows that sum to 1 and a 37-byte model.
    public static func resultMessage(
        _ jobId: String, testCount: Int = 3, classes: Int = 2,
        accuracy: Double = 0.9
    ) -> ResultMessage {
        var probabilities: [Float] = []
        for row in 0..<testCount {
            let p = Float(row % 4) / 4
            probabilities.append(p)
            probabilities.append(contentsOf: Array(repeating: (1 - p) / Float(classes - 1), count: classes - 1))
        }
        let model = Data((0..<37).map { UInt8($0 * 7 % 256) })
        return ResultMessage(
            header: ResultHeader(
                jobId: jobId, validationLoss: 0.31, validationAccuracy: accuracy,
                history: .array([.object(["epoch": .integer(1), "loss": .number(0.5)])]),
                testCount: testCount, classes: classes, modelBytes: model.count),
            probabilities: probabilities, model: model)
    }

    /// The RESULT of `resultMessage` as a message.
    public static func result(_ jobId: String) -> ProtocolMessage { .result(resultMessage(jobId)) }

    /// A PROGRESS for `jobId` in `epoch`.
    public static func progress(_ jobId: String, epoch: Int = 1) -> ProtocolMessage {
        .progress(
            ProgressHeader(
                jobId: jobId, epoch: epoch, epochs: 2, batch: 5, batches: 10, loss: 0.7,
                accuracy: 0.75, imagesPerSecond: 1234))
    }

    /// A FAILED for `jobId`.
    public static func failed(
        _ jobId: String, _ error: String = "out of memory",
        retryable: Bool = true
    ) -> ProtocolMessage {
        .failed(FailedHeader(jobId: jobId, error: error, retryable: retryable))
    }

    /// The JOB messages among `actions`, as (worker, job id, attempt).
    public static func jobs(_ actions: [CoordinatorAction]) -> [(worker: WorkerID, jobId: String, attempt: Int)] {
        actions.compactMap {
            if case .send(let w, .job(let h)) = $0 { return (w, h.jobId, h.attempt) }
            return nil
        }
    }

    /// The workers sent a given command among `actions`.
    public static func recipients(_ actions: [CoordinatorAction], of command: Command) -> [WorkerID] {
        actions.compactMap {
            if case .send(let w, let m) = $0, m.command == command { return w }
            return nil
        }
    }

    /// The log lines among `actions`.
    public static func logs(_ actions: [CoordinatorAction]) -> [String] {
        actions.compactMap { if case .log(_, let text) = $0 { return text } else { return nil } }
    }

    /// The job ids completed among `actions`.
    public static func completed(_ actions: [CoordinatorAction]) -> [String] {
        actions.compactMap { if case .completed(let id, _) = $0 { return id } else { return nil } }
    }
}
