import Foundation
import QuorumCore
import QuorumData
import QuorumEnsemble
import QuorumTraining

/// Turns a finished run directory into its results: the comparison of members and votes (`summary.json`),
/// the ensemble on disk (`ensemble.json` beside the member files) and `report.html`.
public struct RunSummary {
    public let directory: RunDirectory
    public let plan: RunPlan

    /// A summary of `plan`'s run in `directory`.
    public init(directory: RunDirectory, plan: RunPlan) {
        self.directory = directory
        self.plan = plan
    }

    /// What `finish` produced.
    public struct Result {
        /// The members and the votes, scored on the test set.
        public var comparison: EnsembleComparison
        /// Where the report was written.
        public var reportPath: String
        /// The stored members, read back (without their predictions).
        public var members: [MemberRecord]
        /// Members trained on another instruction set than their first holder's, with what the journal says: their
        /// bits differ from a run on that one.
        public var otherInstructionSet: [String: String] = [:]
    }

    /// Votes over every completed member's test predictions against `data`'s test labels, then writes the
    /// files. Members that never completed are left out (and named in the log by the caller). With
    /// `reportOnly` only the report is written, there; the run directory is left as it is.
    ///
    /// Members are read one at a time (`StreamingVote`, `StreamingSizeCurve`), so memory stays
    /// O(test images × classes) however many members the run has.
    public func finish(
        data: PreparedData, command: String, wallSeconds: Double?,
        reportOnly: URL? = nil
    ) throws -> Result {
        let test = data.test, normalization = data.normalization
        let classNames = Self.classNames(of: data)
        let completed = directory.completedJobs()
        let planned = plan.members.filter { completed.contains($0.jobId) }
        guard !planned.isEmpty else {
            throw RunPlanError.mismatch(path: directory.url.path, reason: "no member has finished")
        }
        // A snapshot job stores several members; each is a member of the ensemble. The weighted vote scales each
        // member by its share of the weights, so the records come first, then the predictions one at a time.
        let stored = planned.flatMap { plan in plan.storedMembers.map { (plan: plan, name: $0.name, cycle: $0.cycle) } }
        let results = try stored.map { try directory.loadMember($0.name).record }
        let manifestMembers = zip(stored, results).map { entry, result in
            ManifestMember(
                name: entry.name, file: "members/\(entry.name).safetensors", seed: entry.plan.config.seed,
                augmentation: entry.plan.config.augment, validationAccuracy: result.validationAccuracy,
                testAccuracy: result.testAccuracy, weight: Float(result.validationAccuracy ?? 1),
                sample: entry.plan.config.sample, parentJob: entry.cycle == nil ? nil : entry.plan.jobId,
                cycle: entry.cycle)
        }
        let classes = results[0].classes
        func member(_ i: Int) throws -> MemberPredictions { try directory.loadMember(stored[i].name).predictions() }
        let vote = try StreamingVote(labels: test.labels, classes: classes, weights: manifestMembers.map(\.weight))
        for i in stored.indices { try vote.add(member(i)) }
        let comparison = try vote.comparison(members: manifestMembers)
        // Each sampled order is one more pass over the members: past 100 members, 3 orders (the note says so).
        let sizeCurve = try StreamingSizeCurve.compute(
            memberCount: stored.count, labels: test.labels, classes: classes, orders: stored.count > 100 ? 3 : 10,
            member: member)
        let provenance = Provenance(createdAt: Date(), command: command, runID: plan.runId)
        // The members' stored predictions were made with their test-time augmentation; recording it lets
        // `quorum vote` on this ensemble reproduce them.
        let manifest = EnsembleManifest(
            members: manifestMembers, voteRule: .answer, classNames: classNames,
            normalisation: Normalization(mean: normalization.mean, std: normalization.std),
            inputShape: test.imageShape, provenance: provenance,
            testTimeAugmentation: planned[0].config.testTimeAugmentation ?? .none)
        let journal = directory.journal()
        func notes(_ event: JournalEntry.Event) -> [String: String] {
            let pairs = journal.filter { $0.event == event }.compactMap { e in e.jobId.map { ($0, e.message ?? "") } }
            return Dictionary(pairs, uniquingKeysWith: { $1 })
        }
        let elsewhere = notes(.otherInstructionSet).filter { completed.contains($0.key) }
        if reportOnly == nil {
            try manifest.write(to: directory.url)
            let missing = plan.members.map(\.jobId).filter { !completed.contains($0) }
            try directory.writeJSON(
                SummaryFile(
                    comparison: comparison, wallSeconds: wallSeconds,
                    missingMembers: missing,
                    failedMembers: notes(.jobFailed),
                    otherInstructionSet: elsewhere, sizeCurve: sizeCurve),
                name: "summary.json")
        }
        let answer = vote.result(.answer)
        let histories = Dictionary(
            uniqueKeysWithValues: results.map { r in
                (r.jobId, r.history)
            })
        let report = ReportBuilder(
            title: "Quorum run \(plan.runId)", comparison: comparison, histories: histories, classNames: classNames,
            confusionMatrix: EnsembleMetrics.confusionMatrix(
                answer.predictions, labels: test.labels, classes: classNames.count),
            confusionRule: .answer, sizeCurve: sizeCurve,
            modelGraphSVG: modelGraph(of: planned[0].jobId), provenance: provenance,
            overview: ReportOverview(configs: planned.map(\.config), wallSeconds: wallSeconds))
        let reportURL = reportOnly ?? directory.url.appendingPathComponent("report.html")
        try report.write(to: reportURL)
        return Result(
            comparison: comparison, reportPath: reportURL.path, members: results,
            otherInstructionSet: elsewhere)
    }
}

extension RunSummary {
    /// The names the report and `ensemble.json` give the classes: the data's own, else their numbers.
    static func classNames(of data: PreparedData) -> [String] {
        data.train.classNames.isEmpty ? (0..<data.test.numClasses).map(String.init) : data.train.classNames
    }

    /// The graph of a member's network as SVG (members share one architecture unless the plan varies it);
    /// nil when the model file cannot be read, which leaves the report without that section.
    func modelGraph(of jobId: String) -> String? {
        (try? ModelFile.load(path: directory.modelURL(jobId).path)).map { ModelGraph(model: $0.model).svg() }
    }
}

/// `summary.json`: the comparison plus how long the run took and which members are missing.
struct SummaryFile: Encodable {
    var comparison: EnsembleComparison
    var wallSeconds: Double?
    var missingMembers: [String]
    /// Members given up in this run (non-retryable failure, attempts exhausted), with the reason.
    var failedMembers: [String: String]
    /// Members trained on another instruction set than their first holder's, with the journal's note.
    var otherInstructionSet: [String: String]
    /// Accuracy against ensemble size; points with `exact` false are sampled (`size_curve_note`).
    var sizeCurve: [EnsembleSizePoint]
    /// How the size curve was measured, for readers of the file.
    var sizeCurveNote: String {
        sizeCurve.allSatisfy(\.exact)
            ? "every point is the mean over every member subset of its size"
            : "points with exact false are the mean over the first k members of \(sizeCurve.first { !$0.exact }?.subsets ?? 0)"
                + " random member orders, not over every subset (too many to enumerate)"
    }

    enum CodingKeys: String, CodingKey {
        case comparison, wallSeconds, missingMembers, failedMembers, otherInstructionSet, sizeCurve, sizeCurveNote
    }

    func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(comparison, forKey: .comparison)
        try c.encodeIfPresent(wallSeconds, forKey: .wallSeconds)
        try c.encode(missingMembers, forKey: .missingMembers)
        try c.encode(failedMembers, forKey: .failedMembers)
        try c.encode(otherInstructionSet, forKey: .otherInstructionSet)
        try c.encode(sizeCurve, forKey: .sizeCurve)
        try c.encode(sizeCurveNote, forKey: .sizeCurveNote)
    }
}
