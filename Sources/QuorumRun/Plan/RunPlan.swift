import Foundation
import QuorumCore
import QuorumData
import QuorumTraining

/// What a run trains: M members with seeds base+i, each with its augmentation and hyper-parameters.
///
/// Augmentation is one setting for all, a `;`-separated list (member i takes entry i mod the list's length),
/// or `random`: member i draws its own settings from `AugmentationSettings.random`, seeded by its own seed
/// (purpose `augment-choice`), the "random initialisation + random augmentation" recipe.
/// `--vary KEY=V1,V2,...` gives member i the value i mod the count, for keys `lr`, `batch-size`, `epochs`,
/// `optimizer`, `model`, `weight-decay`, `label-smoothing`.
public struct RunPlan: Codable, Equatable, Sendable {
    public var formatVersion: Int = 1
    /// A name for the run (the run directory's name by default).
    public var runId: String
    public var createdAt: String
    /// How augmentation was chosen: the text given (`random`, a list, or one setting).
    public var augmentation: String
    public var members: [MemberPlan]
    /// Compute threads per worker job.
    public var threads: Int
    /// The `--vary` texts the plan was made with (nil: none, or a plan written before they were recorded).
    public var variations: [String]? = nil

    /// Builds a plan from the shared settings, the member count, the augmentation text and variations.
    public static func make(
        base: TrainingConfig, members: Int, augmentation: String, variations: [String] = [],
        runId: String
    ) throws -> RunPlan {
        guard members >= 1 else { throw RunPlanError.badOption(name: "--members", reason: "must be at least 1") }
        let augmentList = augmentation.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard !augmentList.isEmpty else { throw RunPlanError.badOption(name: "--augment", reason: "is empty") }
        let parsedVariations = try variations.map(parseVariation)
        var plans: [MemberPlan] = []
        for i in 0..<members {
            var config = base
            config.seed = base.seed &+ UInt64(i)
            if augmentation.lowercased() == "random" {
                var rng = SeededGenerator(seed: config.seed, purpose: "augment-choice")
                config.augment = AugmentationSettings.random(using: &rng).description
            } else {
                config.augment = augmentList[i % augmentList.count]
            }
            for (key, values) in parsedVariations {
                try apply(key: key, value: values[i % values.count], to: &config)
            }
            do { try config.validate() } catch {
                throw RunPlanError.badOption(name: "member \(i)", reason: "\(error)")
            }
            plans.append(MemberPlan(index: i, jobId: MemberPlan.jobId(for: i), config: config))
        }
        let stamp = ISO8601DateFormatter().string(from: Date())
        return RunPlan(
            runId: runId, createdAt: stamp, augmentation: augmentation, members: plans, threads: base.threads,
            variations: variations.isEmpty ? nil : variations)
    }

    /// The plan with `count` members: the same members, then new ones planned exactly as `make` would have
    /// planned them (seeds, augmentation, `--vary`), so a finished run can grow. Throws when `count` is smaller
    /// than the plan, or when the plan's members cannot be re-derived (a plan whose variations were not recorded).
    public func extended(to count: Int) throws -> RunPlan {
        guard count >= members.count else {
            throw RunPlanError.badOption(
                name: "--members", reason: "the run has \(members.count) members; a run can gain members, not lose them"
            )
        }
        guard count > members.count else { return self }
        let bigger = try RunPlan.make(
            base: members[0].config, members: count, augmentation: augmentation, variations: variations ?? [],
            runId: runId)
        guard Array(bigger.members.prefix(members.count)) == members else {
            throw RunPlanError.badOption(
                name: "--members",
                reason: "the run's members cannot be planned again from its plan (were they varied with --vary "
                    + "before plans recorded it?); start a new run instead")
        }
        var plan = self
        plan.members = bigger.members
        return plan
    }

    private static func parseVariation(_ text: String) throws -> (String, [String]) {
        guard let eq = text.firstIndex(of: "=") else {
            throw RunPlanError.badOption(name: "--vary", reason: "'\(text)' must look like KEY=V1,V2,...")
        }
        let key = String(text[..<eq])
        let values = text[text.index(after: eq)...].split(separator: ",").map(String.init)
        guard !values.isEmpty else { throw RunPlanError.badOption(name: "--vary", reason: "'\(text)' lists no values") }
        return (key, values)
    }

    private static func apply(key: String, value: String, to config: inout TrainingConfig) throws {
        func number<T: LosslessStringConvertible>(_ t: T.Type) throws -> T {
            guard let v = T(value) else {
                throw RunPlanError.badOption(name: "--vary \(key)", reason: "'\(value)' is not a number")
            }
            return v
        }
        switch key {
        case "lr": config.optimizer.learningRate = try number(Float.self)
        case "batch-size": config.batchSize = try number(Int.self)
        case "epochs": config.epochs = try number(Int.self)
        case "weight-decay": config.optimizer.weightDecay = try number(Float.self)
        case "label-smoothing": config.labelSmoothing = try number(Float.self)
        case "model": config.model = value
        case "optimizer":
            do {
                config.optimizer = OptimizerSettings(
                    kind: try OptimizerKind(parsing: value), schedule: config.optimizer.schedule)
            } catch {
                throw RunPlanError.badOption(name: "--vary optimizer", reason: "\(error)")
            }
        default:
            throw RunPlanError.badOption(
                name: "--vary",
                reason: "unknown key '\(key)' (lr, batch-size, epochs, weight-decay, label-smoothing, model, optimizer)"
            )
        }
    }
}
