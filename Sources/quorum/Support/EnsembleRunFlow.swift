import ArgumentParser
import Foundation
import Logging
import QuorumCluster
import QuorumRun
import QuorumTraining

/// What `coordinator` and `local` share on the command line: open the run (`RunSession`), show it while it
/// trains, print the comparison and turn the outcome into an exit status.
struct EnsembleRunFlow {
    var training: TrainingOptions
    var ensemble: EnsembleOptions
    var quarantine: QuarantineOptions
    var command: String

    /// Plans (or resumes), serves on `endpoint` and calls `startWorkers` with the bound address; then prints
    /// the comparison. Throws `ExitCode` for a failed or stopped run after saying why.
    /// `shipsData` is false for local runs, whose workers read the same files: hashing them would be wasted.
    /// `shareIdleCores` lets a worker still training use the threads of idle workers on its host.
    func run(
        endpoint: String, serverSettings: CoordinatorServerSettings = CoordinatorServerSettings(),
        shipsData: Bool = true, shareIdleCores: Bool = false,
        startWorkers: (_ endpoint: String, _ runDirectory: URL) throws -> Void, stopWorkers: () -> Void
    ) throws {
        let started = Date()
        // Warnings (expired workers, refused keys) reach standard error even with --quiet or --json: an operator
        // must see them, and standard output stays clean for the JSON. Once the live table is up, lines go above it.
        let target = LogTarget()
        var logger = Logger(label: "quorum.coordinator") { TerminalLogHandler(label: $0, write: { target.write($0) }) }
        logger.logLevel = .warning
        let session = try openRun(logger: logger)
        let (directory, plan, run) = (session.directory, session.plan, session.run)
        let metrics = try ensemble.metrics.start(monitor: run.monitor)
        defer { metrics?.close() }
        let quiet = ensemble.quiet || ensemble.json
        let table = LiveTable(plan: plan, completed: session.storedJobs, quiet: quiet)
        if !quiet { target.write = table.log }
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

        let missing = session.missingJobs
        if !missing.isEmpty && !quiet {
            Terminal.log(
                "run \(plan.runId): \(plan.members.count) members (\(missing.count) to train), "
                    + "\(session.data.train.count) training images, run directory \(directory.url.path)")
            DataNotes.warn(session.data)
            if !session.data.skipped.isEmpty {
                Terminal.log(
                    "skipped \(session.data.skipped.count) unreadable image files, listed in "
                        + directory.url.appendingPathComponent(RunSession.skippedImagesName).path)
            }
        }
        let settings = CoordinatorSettings(
            heartbeatInterval: ensemble.heartbeat, liveness: ensemble.liveness,
            maxAttempts: ensemble.maxAttempts,
            maxBadResults: quarantine.maxBadResults, shareIdleCores: shareIdleCores)
        let outcome = try session.serve(
            endpoint: endpoint, settings: settings, serverSettings: serverSettings,
            shipsData: shipsData,
            onBound: { bound in
                if !quiet { Terminal.log("coordinator listening on \(bound)") }
                try startWorkers(bound, directory.url)
            })
        if !missing.isEmpty { table.finish() }
        let stored = session.storedJobs
        switch outcome {
        case .complete: break
        case .incomplete(let failed):
            for job in failed.keys.sorted() {
                Terminal.log("error: member \(job) is missing: " + PeerText.escaped(failed[job] ?? ""))
            }
        case .stopped:
            Terminal.log(
                "stopped with \(stored.count) of \(plan.members.count) members stored in "
                    + "\(directory.url.path); continue with --resume \(directory.url.path)")
        }
        guard !stored.isEmpty else { throw ExitCode.failure }
        let result = try session.summarize(command: command, wallSeconds: Date().timeIntervalSince(started))
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
            Terminal.log(
                "the ensemble has \(stored.count) of \(plan.members.count) members; missing: "
                    + failed.keys.sorted().joined(separator: ", ") + " (summary.json lists them)")
            throw ExitCode(Self.incompleteExitCode)
        case .stopped: throw ExitCode.failure
        }
    }

    /// The exit status of a run that finished without some members (they failed for good): the ensemble of
    /// the others was voted and reported, unlike a run that failed (1).
    static let incompleteExitCode: Int32 = 3

    /// Where the run's log lines go: standard error until the live table takes them.
    private final class LogTarget {
        var write: (String) -> Void = Terminal.log
    }

    /// `base` as a student of `--teacher`'s ensemble, when one is given: its teacher file is made (or found in
    /// its cache) here, and the run's data must be the teacher's members'.
    private func studentsOfTeacher(_ base: TrainingConfig) throws -> TrainingConfig {
        guard let folder = ensemble.teacher else { return base }
        let teacher = try DistillationTeacher(
            ensemble: URL(fileURLWithPath: folder), teaching: ensemble.distillOptions.teaching)
        let wanted = PreparedData.key(for: teacher.scores.configs[0])
        guard PreparedData.key(for: base) == wanted else {
            throw ValidationError(
                "--teacher \(folder): its members were trained on '\(wanted)' (data, validation size and seed, "
                    + "limits); give the same data flags")
        }
        var config = base
        config.distillation = teacher.settings(
            temperature: ensemble.distillOptions.temperature, alpha: ensemble.distillOptions.alpha)
        do { try config.validate() } catch { throw ValidationError("\(error)") }
        return config
    }

    /// The run `--resume` names, or a new one in `--run-dir` (default `runs/<time>`). Problems with the
    /// options, such as a folder that already holds a run, are usage errors.
    private func openRun(logger: Logger) throws -> RunSession {
        do {
            if let resume = ensemble.resume {
                return try RunSession.resume(path: resume, members: ensemble.members, logger: logger)
            }
            let path = ensemble.runDir ?? RunSession.defaultPath()
            return try RunSession.create(
                path: path, base: try studentsOfTeacher(try training.config(augment: "none")),
                members: ensemble.memberCount, augmentation: training.augment,
                variations: ensemble.vary, logger: logger)
        } catch RunPlanError.planExists(let path) {
            throw ValidationError(
                "\(path) already holds a run; add --resume to continue it, "
                    + "or choose another --run-dir")
        } catch let error as RunPlanError {
            switch error {
            case .badOption, .noPlan: throw ValidationError("\(error)")
            default: throw error
            }
        }
    }
}
