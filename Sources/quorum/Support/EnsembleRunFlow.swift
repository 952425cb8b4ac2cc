import ArgumentParser
import Foundation
import Logging
import QuorumCluster

/// What `coordinator` and `local` share: make or resume the plan, serve it, then vote and report.
struct EnsembleRunFlow {
    var training: TrainingOptions
    var ensemble: EnsembleOptions
    var quarantine: QuarantineOptions
    var command: String

    /// Plans (or resumes), serves on `endpoint` and calls `startWorkers` with the bound address; then prints
    /// the comparison. Throws `ExitCode` for a failed or stopped run after saying why.
    /// `shipsData` is false for local runs, whose workers read the same files: hashing them would be wasted.
    /// `shareIdleCores` lets a worker still training use the threads of idle workers on its host.
    func run(endpoint: String, serverSettings: CoordinatorServerSettings = CoordinatorServerSettings(), shipsData: Bool = true,
             shareIdleCores: Bool = false,
             startWorkers: (_ endpoint: String, _ runDirectory: URL) throws -> Void, stopWorkers: () -> Void) throws {
        let started = Date()
        let (directory, plan) = try openRun()
        let data = try PreparedData.load(for: plan.members[0].config)
        var serverSettings = serverSettings
        for spec in Set(plan.members.map(\.config.data)).sorted() where shipsData {
            do { serverSettings.datasets.append(try DatasetBundle.resolve(spec)) } catch {
                Terminal.log("warning: \(error); workers must hold it themselves")
            }
        }
        let quiet = ensemble.quiet || ensemble.json
        let table = LiveTable(plan: plan, completed: directory.completedJobs(), quiet: quiet)
        // Warnings (expired workers, refused keys) reach standard error even with --quiet or --json: an operator
        // must see them, and standard output stays clean for the JSON.
        var logger = Logger(label: "quorum.coordinator") {
            TerminalLogHandler(label: $0, write: quiet ? Terminal.log : table.log)
        }
        logger.logLevel = .warning
        let run = EnsembleRun(directory: directory, plan: plan, data: data, logger: logger)
        // Nothing larger than the plan's largest RESULT is accepted, so a peer cannot make libzmq buffer more.
        serverSettings.limits.maxMessageBytes = run.messageLimit(fallback: serverSettings.limits.maxMessageBytes)
        run.onProgress = { worker, p in table.progress(worker: worker, p) }
        run.onMemberSaved = { job, accuracy, _ in table.saved(jobId: job, testAccuracy: accuracy) }
        run.onWorkerRefused = { worker, reason in table.refused(worker: worker, reason: reason) }
        run.onRejected = { job in table.state(jobId: job, "re-queued: result rejected") }
        run.onMemberFailed = { job, _ in table.state(jobId: job, "given up") }
        let trap = SignalTrap { _ in
            table.log("stopping: members already stored are kept")
            run.requestStop()
        }
        defer { withExtendedLifetime(trap) {}; stopWorkers() }

        let missing = run.missingJobs
        var outcome = CoordinatorOutcome.complete
        if !missing.isEmpty {
            if !ensemble.quiet && !ensemble.json {
                Terminal.log("run \(plan.runId): \(plan.members.count) members (\(missing.count) to train), \(data.train.count) training images, run directory \(directory.url.path)")
            }
            try directory.append(JournalEntry(event: missing.count == plan.members.count ? .started : .resumed))
            outcome = try run.serve(endpoint: endpoint,
                                    settings: CoordinatorSettings(heartbeatInterval: ensemble.heartbeat, liveness: ensemble.liveness,
                                                                  maxAttempts: ensemble.maxAttempts,
                                                                  maxBadResults: quarantine.maxBadResults,
                                                                  shareIdleCores: shareIdleCores),
                                    serverSettings: serverSettings,
                                    onBound: { bound in
                                        if !ensemble.quiet && !ensemble.json { Terminal.log("coordinator listening on \(bound)") }
                                        try startWorkers(bound, directory.url)
                                    })
            table.finish()
        }
        let stored = directory.completedJobs()
        switch outcome {
        case .complete:
            try directory.append(JournalEntry(event: .finished))
        case .incomplete(let failed):
            let missing = failed.keys.sorted()
            try directory.append(JournalEntry(event: .finished, message: "without " + missing.joined(separator: ", ")))
            for job in missing {
                Terminal.log("error: member \(job) is missing: " + PeerText.escaped(failed[job] ?? ""))
            }
        case .stopped:
            Terminal.log("stopped with \(stored.count) of \(plan.members.count) members stored in \(directory.url.path); continue with --resume \(directory.url.path)")
        }
        guard !stored.isEmpty else { throw ExitCode.failure }
        let summary = RunSummary(directory: directory, plan: plan)
        let result = try summary.finish(test: data.test, normalization: data.normalization,
                                        classNames: data.train.classNames.isEmpty ? (0..<data.test.numClasses).map(String.init) : data.train.classNames,
                                        command: command, wallSeconds: Date().timeIntervalSince(started))
        if ensemble.json {
            print(String(decoding: try result.comparison.jsonData(), as: UTF8.self))
        } else {
            print(result.comparison.table())
            for (job, note) in result.otherInstructionSet.sorted(by: { $0.key < $1.key }) {
                print("note: \(job) \(PeerText.escaped(note)): its bits differ from a run there")
            }
            print("wall time \(Terminal.duration(Date().timeIntervalSince(started))); report \(result.reportPath)")
        }
        switch outcome {
        case .complete: break
        case .incomplete(let failed):
            Terminal.log("the ensemble has \(stored.count) of \(plan.members.count) members; missing: "
                         + failed.keys.sorted().joined(separator: ", ") + " (summary.json lists them)")
            throw ExitCode(Self.incompleteExitCode)
        case .stopped: throw ExitCode.failure
        }
    }

    /// The exit status of a run that finished without some members (they failed for good): the ensemble of
    /// the others was voted and reported, unlike a run that failed (1).
    static let incompleteExitCode: Int32 = 3

    private func openRun() throws -> (RunDirectory, RunPlan) {
        let path = ensemble.resume ?? ensemble.runDir ?? "runs/" + ISO8601DateFormatter().string(from: Date()).replacingOccurrences(of: ":", with: "-")
        let existing = FileManager.default.fileExists(atPath: URL(fileURLWithPath: path).appendingPathComponent("plan.json").path)
        if ensemble.resume != nil {
            guard existing else { throw ValidationError("\(path) holds no run to resume (no plan.json)") }
            let directory = try RunDirectory(path: path)
            return (directory, try directory.readPlan())
        }
        if existing { throw ValidationError("\(path) already holds a run; add --resume to continue it, or choose another --run-dir") }
        let base = try training.config(augment: "none")
        let plan: RunPlan
        do {
            plan = try RunPlan.make(base: base, members: ensemble.members, augmentation: training.augment,
                                    variations: ensemble.vary, runId: URL(fileURLWithPath: path).lastPathComponent)
        } catch { throw ValidationError("\(error)") }
        let directory = try RunDirectory(path: path)
        try directory.writePlan(plan)
        return (directory, plan)
    }
}
