import Foundation
import QuorumCluster
import QuorumCore
import QuorumData
import QuorumEnsemble
import QuorumTraining

/// Checks a RESULT against the plan and the coordinator's own test set before its member is stored.
///
/// Nothing a worker sends is trusted: the counts must match the coordinator's test set, every probability
/// row must sum to 1, the model file must be a Quorum model whose spec is the plan's (checked before any
/// network is built, so a spec such as `dense(1000000000)` never allocates), and the model must reproduce
/// the probabilities it came with on a sample of test rows.
public struct MemberVerifier {
    /// The coordinator's copy of the data (the plan's test set and normalisation).
    public let data: PreparedData
    /// Test rows recomputed with the received model.
    public var sampleRows = 64
    /// Largest difference allowed between a sent and a recomputed probability: float32 kernels on other
    /// instruction sets and thread counts differ in the last bits, and softmax keeps that far below this.
    public var probabilityTolerance: Float = 2e-3
    /// How far a probability row's sum may be from 1.
    public var rowSumTolerance: Float = 1e-3
    /// Seeds the choice of recomputed rows. Drawn from the system's generator by default, so a worker
    /// cannot know which rows are checked; it decides nothing about the members themselves.
    public var sampleSeed: UInt64 = .random(in: .min ... .max)
    /// The largest layer output, in floats per sample, a member started from another model file may have.
    public var maxActivationsPerSample = 1 << 22

    /// A verifier against `data`.
    public init(data: PreparedData) { self.data = data }

    /// The classes a member of `config` scores on this data.
    public func classes(for config: TrainingConfig) -> Int {
        config.numClasses ?? max(data.train.numClasses, data.test.numClasses)
    }

    /// Checks `result` for `member`, and each earlier snapshot it carries as a member of its own; throws
    /// `MemberRejection` naming the first problem. A snapshot job must send exactly the plan's count.
    public func verify(_ result: ResultMessage, member: MemberPlan) throws -> VerifiedMember {
        let expected = (member.config.snapshots?.count ?? 1) - 1
        let sent = result.header.snapshots?.count ?? 0
        guard sent == expected, result.snapshots.count == sent else {
            throw MemberRejection(
                member.jobId, "the RESULT carries \(sent) earlier snapshots; the plan's job yields \(expected)")
        }
        var verified = try verifyMember(result, member: member)
        verified.snapshots = try (0..<sent).map { i in
            do { return try verifyMember(result.snapshotResult(i), member: member) } catch let rejection
                as MemberRejection
            {
                throw MemberRejection(member.jobId, "snapshot \(i + 1): \(rejection.problem)")
            }
        }
        return verified
    }

    /// Checks one member's probabilities and model file.
    private func verifyMember(_ result: ResultMessage, member: MemberPlan) throws -> VerifiedMember {
        let jobId = member.jobId
        func reject(_ problem: String) -> MemberRejection { MemberRejection(jobId, problem) }
        let header = result.header
        let classes = classes(for: member.config)
        guard header.testCount == data.test.count else {
            throw reject(
                "test_count is \(header.testCount); the coordinator's test set has \(data.test.count) images "
                    + "(after test_limit and any class filter)")
        }
        guard header.classes == classes else {
            throw reject("classes is \(header.classes); the plan's members score \(classes)")
        }
        try checkRows(result.probabilities, classes: classes, reject)
        let file: SafeTensors
        do { file = try SafeTensors.parse(result.model, path: "model file") } catch { throw reject("\(error)") }
        let spec = try checkSpec(file, member: member, classes: classes, reject)
        let loaded: (model: Sequential, metadata: ModelMetadata)
        do { loaded = try ModelFile.load(data: result.model, path: "model file") } catch { throw reject("\(error)") }
        let built = loaded.model.spec
        guard built.layers == spec.layers, built.inputShape == spec.inputShape, built.classes == spec.classes else {
            throw reject("model file's network is '\(built.layers)', not the spec checked ('\(spec.layers)')")
        }
        let norm = data.normalization
        guard loaded.metadata.normalizationMean.count == norm.mean.count,
            zip(loaded.metadata.normalizationMean + loaded.metadata.normalizationStd, norm.mean + norm.std)
                .allSatisfy({ abs($0 - $1) <= 1e-4 * max(1, abs($1)) })
        else {
            throw reject(
                "model file's normalisation (mean \(loaded.metadata.normalizationMean), std "
                    + "\(loaded.metadata.normalizationStd)) is not the data's "
                    + "(mean \(norm.mean), std \(norm.std))")
        }
        try recompute(
            loaded.model, result.probabilities, classes: classes,
            testTimeAugmentation: member.config.testTimeAugmentation ?? .none, reject)
        let predictions: MemberPredictions
        do {
            predictions = try MemberPredictions(name: jobId, probabilities: result.probabilities, classes: classes)
        } catch {
            throw reject("probabilities: \(error)")
        }
        let decoder = JSONCoding.decoder()
        let history = (try? decoder.decode([EpochStats].self, from: header.history.jsonData())) ?? []
        return VerifiedMember(
            predictions: predictions,
            testAccuracy: EnsembleMetrics.accuracy(predictions.argmax, labels: data.test.labels),
            history: history)
    }

    private func checkRows(_ p: [Float], classes: Int, _ reject: (String) -> MemberRejection) throws {
        for row in 0..<(p.count / classes) {
            var sum: Float = 0
            for c in 0..<classes { sum += p[row * classes + c] }
            guard abs(sum - 1) <= rowSumTolerance else {
                throw reject("probabilities row \(row) sums to \(sum); expected 1 ± \(rowSumTolerance)")
            }
        }
    }

    /// The file's spec, once it is known to be the plan's (or, for pruned and transferred members, to fit the
    /// data and stay within what the file's own tensors can hold).
    private func checkSpec(
        _ file: SafeTensors, member: MemberPlan, classes: Int,
        _ reject: (String) -> MemberRejection
    ) throws -> ModelSpec {
        guard let text = file.metadata["quorum.spec"] else {
            throw reject("model file has no quorum.spec metadata: it is not a Quorum model file (docs/formats.md)")
        }
        let spec: ModelSpec
        do { spec = try JSONCoding.decoder(keys: .declared).decode(ModelSpec.self, from: Data(text.utf8)) } catch {
            throw reject("model file's quorum.spec is not a model spec: \(error)")
        }
        let config = member.config
        guard spec.inputShape == data.test.imageShape else {
            throw reject("model takes input \(spec.inputShape); the data's images are \(data.test.imageShape)")
        }
        guard spec.classes == classes else {
            throw reject("model scores \(spec.classes) classes; the plan's members score \(classes)")
        }
        var planned: ModelSpec?
        if config.initFrom == nil {
            do { planned = try ModelSpec(parsing: config.model, inputShape: spec.inputShape, classes: classes) } catch {
                throw reject("the plan's model '\(config.model)' does not fit the data: \(error)")
            }
        }
        if let planned, config.prune == nil, spec.layers != planned.layers {
            throw reject("model is '\(spec.layers)'; the plan's member is '\(planned.layers)'")
        }
        if let planned, config.prune != nil, !Self.isPruned(spec.layerSpecs, from: planned.layerSpecs) {
            throw reject("model '\(spec.layers)' is not a pruned '\(planned.layers)'")
        }
        guard let size = Self.size(of: spec), size.activations <= maxActivationsPerSample else {
            throw reject(
                "model '\(spec.layers)' is too large to check (a layer output over \(maxActivationsPerSample) "
                    + "values per image, or sizes that overflow)")
        }
        let stored = file.entries.reduce(0) { $0 + $1.values.count }
        guard size.parameters == stored else {
            throw reject(
                "model '\(spec.layers)' has \(size.parameters) parameters and buffers; "
                    + "the file holds \(stored) values")
        }
        return spec
    }

    /// Same layers, with at most the planned filters and units: what pruning leaves.
    static func isPruned(_ layers: [LayerSpec], from planned: [LayerSpec]) -> Bool {
        guard layers.count == planned.count, !layers.isEmpty else { return false }
        return zip(layers, planned).allSatisfy { layer, plan in
            switch (layer, plan) {
            case let (.conv(k, f, s, p), .conv(pk, pf, ps, pp)):
                return k == pk && s == ps && p == pp && f >= 1 && f <= pf
            case let (.dense(u), .dense(pu)): return u >= 1 && u <= pu
            default: return layer == plan
            }
        }
    }

    /// Parameters plus buffers, and the largest per-sample layer output, of a spec; nil when the spec is over
    /// the model limits or a layer does not fit its input. Every product is overflow-checked.
    static func size(of spec: ModelSpec) -> (parameters: Int, activations: Int)? {
        guard let size = try? ModelLimits.check(spec) else { return nil }
        return (size.parameters, size.largestActivation)
    }

    /// Recomputes a sample of rows with the model and compares them with what the worker sent.
    /// The worker's rows were scored with the member's test-time augmentation, so the check uses it too.
    private func recompute(
        _ model: Sequential, _ sent: [Float], classes: Int,
        testTimeAugmentation: TestTimeAugmentation,
        _ reject: (String) -> MemberRejection
    ) throws {
        let n = data.test.count
        guard n > 0 else { return }
        var rng = SeededGenerator(seed: sampleSeed, purpose: "verify-sample")
        var rows = Array(0..<n)
        rows.shuffle(using: &rng)
        rows = Array(rows.prefix(sampleRows)).sorted()
        let sample = data.test.subset(rows)
        let evaluation = Evaluation.run(
            model, on: sample, normalization: data.normalization,
            batchSize: min(64, rows.count), testTimeAugmentation: testTimeAugmentation)
        for (i, row) in rows.enumerated() {
            for c in 0..<classes {
                let expected = evaluation.probabilities[i * classes + c], got = sent[row * classes + c]
                guard abs(expected - got) <= probabilityTolerance else {
                    throw reject(
                        "probabilities row \(row), class \(c) is \(got) but the model gives \(expected) "
                            + "(tolerance \(probabilityTolerance)): they do not come from this model")
                }
            }
        }
    }
}
