import Foundation

/// Trains the jobs a worker receives with the shared core: decodes the `TrainingConfig`, loads the data once
/// per distinct data set, trains, and packs the result for the wire.
public final class TrainingJobRunner: @unchecked Sendable {
    private var cache: PreparedData?
    /// Overrides the job's thread count when set (results then differ in the last bits from other thread counts).
    public var threadOverride: Int?
    /// Called with each progress report, for the worker's own log.
    public var onProgress: ((String, TrainingProgress) -> Void)?

    public init(threadOverride: Int? = nil) { self.threadOverride = threadOverride }

    /// The `WorkerClient.Train` closure.
    public func train(_ job: JobAssignment, reporter: ProgressReporter, cancel: CancellationFlag) throws -> JobOutput {
        var config: TrainingConfig
        do { config = try JSONDecoder().decode(TrainingConfig.self, from: job.config) } catch {
            throw PermanentJobError("job \(job.jobId): the training settings do not decode: \(error)")
        }
        config.threads = threadOverride ?? job.threads
        do { try config.validate() } catch { throw PermanentJobError("job \(job.jobId): \(error)") }
        let data = try prepared(for: config)
        let trainer = try MemberTrainer(config: config, data: data)
        let outcome = try trainer.train(progress: { p in
            self.onProgress?(job.jobId, p)
            reporter.report(epoch: p.epoch, epochs: p.epochs, batch: p.batch, batches: p.batches, loss: p.loss,
                            accuracy: p.accuracy, validationLoss: p.finishedEpoch?.validationLoss,
                            validationAccuracy: p.finishedEpoch?.validationAccuracy, imagesPerSecond: p.imagesPerSecond)
        }, shouldStop: { cancel.isCancelled })
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return JobOutput(validationLoss: outcome.validation?.loss ?? 0, validationAccuracy: outcome.validation?.accuracy ?? 0,
                         history: try encoder.encode(outcome.history), testCount: data.test.count,
                         classes: outcome.model.spec.classes, probabilities: outcome.test.probabilities,
                         model: outcome.modelFile)
    }

    private func prepared(for config: TrainingConfig) throws -> PreparedData {
        if let cache, cache.key == PreparedData.key(for: config) { return cache }
        cache = nil  // free the old copy before loading another
        do {
            let data = try PreparedData.load(for: config)
            cache = data
            return data
        } catch {
            throw PermanentJobError("cannot load data '\(config.data)' on this worker: \(error)")
        }
    }
}
