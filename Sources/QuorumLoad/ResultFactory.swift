import Foundation
import QuorumCluster
import QuorumCore
import QuorumData
import QuorumTraining

/// Builds the RESULT the simulated workers send: a real member trained once per distinct job configuration
/// (seed aside) on a background thread, so the coordinator's checks (shape, spec, 64 recomputed rows) pass
/// as they would for a real worker, while the socket loop keeps its heartbeats on time.
///
/// Every member of one plan differs only by its seed, and the coordinator checks a model against its own
/// predictions, not against its seed, so one trained member serves every job of the plan.
final class ResultFactory: @unchecked Sendable {
    /// A finished build: the output, or why there is none.
    enum Build {
        case ready(JobOutput)
        case failed(String)
    }

    private let lock = NSLock()
    private var builds: [String: Build] = [:]
    private var started: Set<String> = []
    private let queue = DispatchQueue(label: "quorum.loadtest.results")

    /// The output for a job's `config` (its JSON), or nil while it is being built; the first call starts it.
    func output(for config: Data) -> Build? {
        let key = Self.key(config)
        lock.lock()
        defer { lock.unlock() }
        if let build = builds[key] { return build }
        if started.insert(key).inserted {
            queue.async { [self] in
                let build = Self.build(config)
                lock.lock()
                builds[key] = build
                lock.unlock()
            }
        }
        return nil
    }

    /// The configuration without its seed: jobs that differ only by seed share one member.
    static func key(_ config: Data) -> String {
        guard var object = (try? JSONSerialization.jsonObject(with: config)) as? [String: Any] else {
            return String(decoding: config, as: UTF8.self)
        }
        object["seed"] = nil
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? config
        return String(decoding: data, as: UTF8.self)
    }

    /// Trains the member `config` describes on one thread and packs its RESULT.
    static func build(_ config: Data) -> Build {
        do {
            var settings = try JSONCoding.decoder().decode(TrainingConfig.self, from: config)
            settings.threads = 1
            let data = try PreparedData.load(for: settings)
            let outcome = try MemberTrainer(config: settings, data: data).train()
            return .ready(
                JobOutput(
                    validationLoss: outcome.validation?.loss ?? 0,
                    validationAccuracy: outcome.validation?.accuracy ?? 0,
                    history: try JSONCoding.encoder().encode(outcome.history), testCount: data.test.count,
                    classes: outcome.model.spec.classes, probabilities: outcome.test.probabilities,
                    model: outcome.modelFile))
        } catch {
            return .failed("\(error)")
        }
    }
}
