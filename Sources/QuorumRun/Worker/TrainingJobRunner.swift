import Foundation
import Logging
import QuorumCluster
import QuorumCore
import QuorumData
import QuorumTraining

/// Trains the jobs a worker receives with the shared core: decodes the `TrainingConfig`, loads the data once
/// per distinct data set, checks the job against the worker's budget, trains, and packs the result.
public final class TrainingJobRunner: JobRunner, @unchecked Sendable {
    private var cache: PreparedData?
    /// Overrides the job's thread count when set (the results keep their bits: only the speed changes).
    public var threadOverride: Int?
    /// Called with each progress report, for the worker's own log.
    public var onProgress: ((String, TrainingProgress) -> Void)?
    /// Where details the worker keeps to itself go (what was wrong with an `init_from` file); each line
    /// carries its job id as `job` metadata.
    public let logger: Logger
    /// Gets data sets this machine lacks from the coordinator; nil: data must be local.
    public var fetcher: DatasetFetcher?
    /// What this worker agrees to train.
    public var budget = JobBudget()

    /// A runner training with the job's thread count, or `threadOverride`, logging to `logger`.
    public init(threadOverride: Int? = nil, logger: Logger = .silent("quorum.worker")) {
        self.threadOverride = threadOverride
        self.logger = logger
    }

    /// The job's training configuration, decoded from the wire's snake_case keys.
    public static func config(from json: Data) throws -> TrainingConfig {
        try JSONCoding.decoder().decode(TrainingConfig.self, from: json)
    }

    /// Trains `job` with `MemberTrainer` and packs its RESULT (the `JobRunner` a worker serves with).
    public func run(_ job: JobAssignment, reporter: ProgressReporter, cancel: CancellationFlag) throws -> JobOutput {
        let id = PeerText.escaped(job.jobId, limit: 80)
        let logger = {
            var logger = self.logger; logger[metadataKey: "job"] = .string(id); return logger
        }()
        var config: TrainingConfig
        do { config = try Self.config(from: job.config) } catch {
            throw PermanentJobError("job \(id): the training settings do not decode: \(Self.describe(error))")
        }
        config.threads = threadOverride ?? job.threads
        do {
            try config.validate()
            if let classes = config.numClasses { try budget.checkClasses(classes) }
            if let path = config.initFrom { try budget.checkModelFile(path) }
            if let distillation = config.distillation {
                if let members = distillation.members {
                    for path in members { try budget.checkTeacherFile(path) }
                } else {
                    try budget.checkTeacherFile(distillation.teacher)
                }
            }
        } catch { throw PermanentJobError("job \(id): \(error)") }
        let data = try prepared(for: config, cancel: cancel)
        let classes = config.numClasses ?? max(data.train.numClasses, data.test.numClasses)
        do {
            try budget.checkClasses(classes)
            if config.initFrom == nil {
                try budget.checkModel(
                    config.model, inputShape: data.train.imageShape, classes: classes,
                    batchSize: config.batchSize)
            }
        } catch { throw PermanentJobError("job \(id): \(error)") }
        let trainer = try MemberTrainer(config: config, data: data)
        let outcome: TrainingOutcome
        do {
            outcome = try trainer.train(
                progress: { p in
                    self.onProgress?(job.jobId, p)
                    self.applyThreadHint(reporter.threadHint, jobThreads: config.threads, jobId: id, logger: logger)
                    reporter.report(p)
                }, shouldStop: { cancel.isCancelled })
        } catch let error where config.initFrom != nil && (error is SafeTensorsError || error is ModelFileError) {
            // Such errors quote the file's bytes (a header length is its first 8): they stay in this log.
            logger.error("job \(id): \(PeerText.escaped("\(error)", limit: 2000))")
            throw PermanentJobError("job \(id): \(budget.unusable(config.initFrom ?? ""))")
        } catch TrainingError.badConfig(let field, let reason)
            where field == "distillation.teacher" || field.hasPrefix("distillation.members[")
        {
            // The reason may quote the file's bytes: it stays in this log, as for `init_from`.
            logger.error("job \(id): \(PeerText.escaped(reason, limit: 2000))")
            let member = Int(field.dropFirst("distillation.members[".count).dropLast())
            let path = member.flatMap { config.distillation?.members?[$0] } ?? config.distillation?.teacher ?? ""
            throw PermanentJobError("job \(id): \(budget.unusableTeacher(path))")
        }
        let encoder = JSONCoding.encoder()
        return JobOutput(
            validationLoss: outcome.validation?.loss ?? 0, validationAccuracy: outcome.validation?.accuracy ?? 0,
            history: try encoder.encode(outcome.history), testCount: data.test.count,
            classes: outcome.model.spec.classes, probabilities: outcome.test.probabilities,
            model: outcome.modelFile,
            snapshots: outcome.snapshots.map {
                SnapshotOutput(
                    validationLoss: $0.validation?.loss ?? 0, validationAccuracy: $0.validation?.accuracy ?? 0,
                    probabilities: $0.test.probabilities, model: $0.modelFile)
            })
    }

    /// Follows the coordinator's thread-count hint (nil: the job's own count) unless `threadOverride` fixes
    /// the count. Runs on the training thread, in the progress callback between two steps, since OpenMP keeps
    /// its count per thread. The member's bits do not change: every pass sums in an order that does not follow
    /// the thread count.
    private func applyThreadHint(_ hint: Int?, jobThreads: Int, jobId: String, logger: Logger) {
        guard threadOverride == nil else { return }
        let wanted = min(max(1, hint ?? jobThreads), max(jobThreads, ProcessInfo.processInfo.activeProcessorCount))
        guard wanted != ComputeThreads.current else { return }
        ComputeThreads.set(wanted)
        logger.info("job \(jobId): now \(wanted) thread(s)")
    }

    /// A decoding error in the wire's terms: the snake_case path of the field and what was wrong.
    static func describe(_ error: Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ keys: [CodingKey]) -> String {
            let names = keys.map { key in
                key.intValue.map { "[\($0)]" }
                    ?? key.stringValue.reduce(into: "") { out, ch in
                        out += ch.isUppercase ? "_" + ch.lowercased() : String(ch)
                    }
            }
            return names.isEmpty ? "the config" : "field " + names.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context): return "\(path(context.codingPath + [key])) is missing"
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            return "\(path(context.codingPath)) must be \(type)"
        case .dataCorrupted(let context): return "\(path(context.codingPath)): \(context.debugDescription)"
        @unknown default: return "\(error)"
        }
    }

    /// The job's data, from this machine's files or a shipped copy's, named and normalised as `config.data`
    /// says, so both load the same.
    private func prepared(for config: TrainingConfig, cancel: CancellationFlag) throws -> PreparedData {
        if let cache, cache.key == PreparedData.key(for: config) { return cache }
        cache = nil  // free the old copy before loading another
        let name = PeerText.escaped(config.data, limit: 300)
        var local = config.data
        if let fetcher {
            do {
                local = try fetcher.localSpec(for: config.data, cancel: cancel)
            } catch let error as DataShippingError {
                if case .interrupted = error { throw error }
                if case .timeout = error { throw error }
                throw PermanentJobError("cannot get data '\(name)' on this worker: \(error)")
            }
        }
        do {
            let data = try PreparedData.load(for: config, from: local == config.data ? nil : DataSpec(parsing: local))
            cache = data
            return data
        } catch {
            throw PermanentJobError("cannot load data '\(name)' on this worker: \(PeerText.escaped("\(error)"))")
        }
    }
}
