import Foundation

/// Trains the jobs a worker receives with the shared core: decodes the `TrainingConfig`, loads the data once
/// per distinct data set, trains, and packs the result for the wire.
public final class TrainingJobRunner: @unchecked Sendable {
    private var cache: PreparedData?
    /// Overrides the job's thread count when set (results then differ in the last bits from other thread counts).
    public var threadOverride: Int?
    /// Called with each progress report, for the worker's own log.
    public var onProgress: ((String, TrainingProgress) -> Void)?
    /// Gets data sets this machine lacks from the coordinator; nil: data must be local.
    public var fetcher: DatasetFetcher?

    public init(threadOverride: Int? = nil) { self.threadOverride = threadOverride }

    /// The `WorkerClient.Train` closure.
    public func train(_ job: JobAssignment, reporter: ProgressReporter, cancel: CancellationFlag) throws -> JobOutput {
        var config: TrainingConfig
        do { config = try JSONDecoder().decode(TrainingConfig.self, from: job.config) } catch {
            throw PermanentJobError("job \(job.jobId): the training settings do not decode: \(error)")
        }
        config.threads = threadOverride ?? job.threads
        do { try config.validate() } catch { throw PermanentJobError("job \(job.jobId): \(error)") }
        let data = try prepared(for: config, cancel: cancel)
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

    private func prepared(for config: TrainingConfig, cancel: CancellationFlag) throws -> PreparedData {
        if let cache, cache.key == PreparedData.key(for: config) { return cache }
        cache = nil  // free the old copy before loading another
        var local = config
        if let fetcher {
            do { local.data = try fetcher.localSpec(for: config.data, cancel: cancel) } catch let error as DataShippingError {
                if case .interrupted = error { throw error }
                if case .timeout = error { throw error }
                throw PermanentJobError("cannot get data '\(config.data)' on this worker: \(error)")
            }
        }
        do {
            var data = try PreparedData.load(for: local)
            if local.data != config.data { data = Self.asNamed(data, by: config) }
            cache = data
            return data
        } catch {
            throw PermanentJobError("cannot load data '\(config.data)' on this worker: \(error)")
        }
    }

    /// Data loaded from a shipped copy, made identical to what loading `config.data` itself gives: the same
    /// split names, cache key and normalisation (Fashion-MNIST's is fixed by name, not fitted).
    static func asNamed(_ loaded: PreparedData, by config: TrainingConfig) -> PreparedData {
        var data = loaded
        let base = config.data == "fashion-mnist" ? "fashion-mnist" : URL(fileURLWithPath: config.data).lastPathComponent
        data.train = data.train.renamed("\(base)/train")
        data.validation = data.validation.renamed("\(base)/validation")
        data.test = data.test.renamed("\(base)/test")
        if config.data == "fashion-mnist" { data.normalization = .fashionMNIST }
        data.key = PreparedData.key(for: config)
        return data
    }
}
