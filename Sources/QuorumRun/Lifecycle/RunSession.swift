import Foundation
import Logging
import QuorumCluster
import QuorumCore
import QuorumData
import QuorumTraining

/// A run's life on the coordinator, what `quorum coordinator` and `quorum local` share: a new plan or the one
/// being resumed, serving the members still missing, the journal's run events, then the vote and the report.
///
/// The journal is written here and in `RunDirectory` only: `started` or `resumed` before serving, `finished`
/// once every member is stored or given up (naming those given up), `failed` when serving ends in an error,
/// and a `completed` line per stored member. A stopped run writes no end line: `--resume` continues it.
public final class RunSession {
    /// Where the run lives.
    public let directory: RunDirectory
    /// What it trains.
    public let plan: RunPlan
    /// The coordinator's own copy of the data the plan trains on (its test set scores the members).
    public let data: PreparedData
    /// The serving side; set its callbacks (progress, stored members, refused workers) before `serve`.
    public let run: EnsembleRun

    /// The run directory's list of unreadable image files left out, one `PATH: REASON` line each.
    public static let skippedImagesName = "skipped-images.txt"

    /// A session over the plan in `directory`, logging to `logger`; loads the data the plan's members train on.
    public init(directory: RunDirectory, plan: RunPlan, logger: Logger = .silent("quorum.coordinator")) throws {
        self.directory = directory
        self.plan = plan
        data = try PreparedData.load(for: plan.members[0].config)
        if !data.skipped.isEmpty {
            // `--skip-bad-files`: the run directory keeps the list of image files the members never saw.
            try Data(BadImageFile.listText(data.skipped).utf8).write(
                to: directory.url.appendingPathComponent(Self.skippedImagesName), options: .atomic)
        }
        run = EnsembleRun(directory: directory, plan: plan, data: data, logger: logger)
    }

    /// Starts a new run at `path`, which must hold no run yet: writes the plan for `members` members over `base`
    /// (`RunPlan.make`), named after the folder. Throws `RunPlanError` for a bad setting or an existing run.
    public static func create(
        path: String, base: TrainingConfig, members: Int, augmentation: String,
        variations: [String] = [],
        logger: Logger = .silent("quorum.coordinator")
    ) throws -> RunSession {
        guard !RunDirectory.hasPlan(at: path) else { throw RunPlanError.planExists(path: path) }
        let plan = try RunPlan.make(
            base: base, members: members, augmentation: augmentation, variations: variations,
            runId: URL(fileURLWithPath: path).lastPathComponent)
        let directory = try RunDirectory(path: path)
        try directory.writePlan(plan)
        return try RunSession(directory: directory, plan: plan, logger: logger)
    }

    /// Reopens the run at `path` to train what it misses; with `members` above the plan's count, the plan grows
    /// to that many (`RunPlan.extended`) and the new members are trained too. Throws `RunPlanError.noPlan`
    /// when it holds no run.
    public static func resume(
        path: String, members: Int? = nil, logger: Logger = .silent("quorum.coordinator")
    ) throws -> RunSession {
        guard RunDirectory.hasPlan(at: path) else { throw RunPlanError.noPlan(path: path) }
        let directory = try RunDirectory(path: path)
        var plan = try directory.readPlan()
        if let members, members != plan.members.count {
            plan = try plan.extended(to: members)
            try directory.writePlan(plan)
        }
        return try RunSession(directory: directory, plan: plan, logger: logger)
    }

    /// A fresh run directory's default path: `runs/` and the current time, without colons.
    public static func defaultPath(at date: Date = Date()) -> String {
        "runs/" + ISO8601DateFormatter().string(from: date).replacingOccurrences(of: ":", with: "-")
    }

    /// The jobs not yet stored.
    public var missingJobs: [String] { run.missingJobs }

    /// The jobs stored in the run directory.
    public var storedJobs: Set<String> { directory.completedJobs() }

    /// Serves the missing members on `endpoint` until each is stored or given up, or `run.requestStop()` is
    /// called; `onBound` gets the address bound (start local workers there). With `shipsData` the plan's data
    /// sets are offered to workers that lack them (a local run's workers read the same files: hashing would
    /// be wasted); one that cannot be offered is logged as a warning. With nothing missing, nothing is served.
    public func serve(
        endpoint: String, settings: CoordinatorSettings,
        serverSettings: CoordinatorServerSettings = CoordinatorServerSettings(), shipsData: Bool = true,
        onBound: (String) throws -> Void
    ) throws -> CoordinatorOutcome {
        let missing = missingJobs
        var outcome = CoordinatorOutcome.complete
        if !missing.isEmpty {
            var serverSettings = serverSettings
            for spec in Set(plan.members.map(\.config.data)).sorted() where shipsData {
                // An image folder ships its decoded cache, made as the first member using it asks; members
                // of one plan share their data settings.
                let images = plan.members.first { $0.config.data == spec }?.config.imageFolderOptions
                do { serverSettings.datasets.append(try DatasetBundle.resolve(spec, images: images)) } catch {
                    run.logger.warning("\(error); workers must hold it themselves")
                }
            }
            // Nothing larger than the plan's largest RESULT is accepted, so a peer cannot make libzmq buffer more.
            serverSettings.limits.maxMessageBytes = run.messageLimit(fallback: serverSettings.limits.maxMessageBytes)
            try directory.append(JournalEntry(event: missing.count == plan.members.count ? .started : .resumed))
            do {
                outcome = try run.serve(
                    endpoint: endpoint, settings: settings, serverSettings: serverSettings,
                    onBound: onBound)
            } catch {
                try? directory.append(JournalEntry(event: .failed, message: "\(error)"))
                throw error
            }
        }
        switch outcome {
        case .complete:
            try directory.append(JournalEntry(event: .finished))
        case .incomplete(let failed):
            let missing = failed.keys.sorted().joined(separator: ", ")
            try directory.append(JournalEntry(event: .finished, message: "without " + missing))
        case .stopped: break
        }
        return outcome
    }

    /// Votes over the stored members and writes `summary.json`, `ensemble.json` and `report.html`.
    public func summarize(command: String, wallSeconds: Double?) throws -> RunSummary.Result {
        try RunSummary(directory: directory, plan: plan).finish(data: data, command: command, wallSeconds: wallSeconds)
    }
}
