import Foundation
import QuorumCore
import QuorumData
import QuorumTraining

/// A run on disk: `plan.json`, `journal.jsonl`, `members/<job>.safetensors` and `<job>.history.json`,
/// `predictions/<job>.safetensors` (test-set probabilities), then `summary.json` and `ensemble.json`.
///
/// Every file is written atomically and a member counts as done only once its model and predictions are in
/// place and the journal says so: a restarted coordinator trains only what is missing.
public final class RunDirectory {
    public let url: URL
    private let encoder: JSONEncoder = {
        let e = JSONCoding.encoder(.pretty)
        return e
    }()
    private let decoder: JSONDecoder = {
        let d = JSONCoding.decoder()
        return d
    }()

    /// Opens (creating if needed) the run directory at `path`.
    public init(path: String) throws {
        url = URL(fileURLWithPath: path)
        for sub in ["", "members", "predictions"] {
            try FileManager.default.createDirectory(
                at: url.appendingPathComponent(sub), withIntermediateDirectories: true)
        }
    }

    /// `plan.json`: what the run trains.
    public var planURL: URL { url.appendingPathComponent("plan.json") }
    public var journalURL: URL { url.appendingPathComponent("journal.jsonl") }
    public func modelURL(_ job: String) -> URL { url.appendingPathComponent("members/\(job).safetensors") }
    public func historyURL(_ job: String) -> URL { url.appendingPathComponent("members/\(job).history.json") }
    public func predictionsURL(_ job: String) -> URL { url.appendingPathComponent("predictions/\(job).safetensors") }

    /// Whether a plan was written before (a run to resume).
    public var hasPlan: Bool { Self.hasPlan(at: url.path) }

    /// Whether the folder at `path` holds a run's plan, without creating anything there.
    public static func hasPlan(at path: String) -> Bool {
        FileManager.default.fileExists(atPath: URL(fileURLWithPath: path).appendingPathComponent("plan.json").path)
    }

    public func writePlan(_ plan: RunPlan) throws {
        try encoder.encode(plan).write(to: planURL, options: .atomic)
    }

    public func readPlan() throws -> RunPlan {
        do { return try decoder.decode(RunPlan.self, from: Data(contentsOf: planURL)) } catch {
            throw RunPlanError.unreadable(path: planURL.path, reason: "\(error)")
        }
    }

    /// Appends one line to the journal and flushes it to disk.
    public func append(_ entry: JournalEntry) throws {
        let e = JSONCoding.encoder(.compact)
        var line = try e.encode(entry)
        line.append(0x0A)
        if !FileManager.default.fileExists(atPath: journalURL.path) {
            _ = FileManager.default.createFile(atPath: journalURL.path, contents: nil)
        }
        let handle = try FileHandle(forUpdating: journalURL)
        defer { try? handle.close() }
        let end = try handle.seekToEnd()
        if end > 0 {
            // A crash mid-write leaves a torn last line: end it, so this entry starts a line of its own.
            try handle.seek(toOffset: end - 1)
            if try handle.read(upToCount: 1) != Data([0x0A]) { line.insert(0x0A, at: 0) }
            try handle.seekToEnd()
        }
        try handle.write(contentsOf: line)
        try handle.synchronize()
    }

    /// The journal's entries; a torn last line (a crash mid-write) is skipped.
    public func journal() -> [JournalEntry] {
        guard let data = try? Data(contentsOf: journalURL) else { return [] }
        return data.split(separator: 0x0A).compactMap { try? decoder.decode(JournalEntry.self, from: Data($0)) }
    }

    /// Saves a finished member: model, history, predictions, then the journal line that makes it count.
    public func saveMember(
        jobId: String, modelFile: Data, history: [EpochStats], probabilities: [Float], classes: Int,
        testAccuracy: Double, validationAccuracy: Double?, trainSeconds: Double,
        imagesPerSecond: Double, worker: String?
    ) throws {
        try modelFile.write(to: modelURL(jobId), options: .atomic)
        try encoder.encode(history).write(to: historyURL(jobId), options: .atomic)
        let meta = [
            "test_accuracy": "\(testAccuracy)", "validation_accuracy": validationAccuracy.map { "\($0)" } ?? "",
            "train_seconds": "\(trainSeconds)", "images_per_second": "\(imagesPerSecond)"
        ]
        try writePredictions(probabilities, classes: classes, to: jobId, meta: meta)
        try append(
            JournalEntry(
                event: .completed, jobId: jobId, worker: worker, testAccuracy: testAccuracy,
                validationAccuracy: validationAccuracy, trainSeconds: trainSeconds))
    }

    /// The file stem of snapshot `cycle` of a snapshot job (its last cycle is stored as the job itself).
    public static func snapshotName(jobId: String, cycle: Int) -> String { "\(jobId)-c\(cycle)" }

    /// Saves an earlier snapshot of a snapshot job: model and predictions, without a journal line. The job's
    /// own `saveMember`, called after its snapshots, makes them count; `loadMember(snapshotName(...))` reads one.
    public func saveSnapshot(
        jobId: String, cycle: Int, modelFile: Data, probabilities: [Float], classes: Int,
        testAccuracy: Double, validationAccuracy: Double?
    ) throws {
        let name = Self.snapshotName(jobId: jobId, cycle: cycle)
        try modelFile.write(to: modelURL(name), options: .atomic)
        try writePredictions(
            probabilities, classes: classes, to: name,
            meta: ["test_accuracy": "\(testAccuracy)", "validation_accuracy": validationAccuracy.map { "\($0)" } ?? ""])
    }

    private func writePredictions(_ probabilities: [Float], classes: Int, to name: String, meta: [String: String])
        throws
    {
        let n = classes > 0 ? probabilities.count / classes : 0
        try SafeTensors(
            metadata: meta, entries: [.init(name: "probabilities", shape: [n, classes], values: probabilities)]
        )
        .write(to: predictionsURL(name).path)
    }

    /// The job ids that are complete: journalled as completed, with model and predictions on disk.
    public func completedJobs() -> Set<String> {
        let journalled = Set(journal().filter { $0.event == .completed }.compactMap(\.jobId))
        return journalled.filter {
            FileManager.default.fileExists(atPath: modelURL($0).path)
                && FileManager.default.fileExists(atPath: predictionsURL($0).path)
        }
    }

    /// Reads a finished member back.
    public func loadMember(_ jobId: String) throws -> MemberResult {
        let predictions = try SafeTensors.read(path: predictionsURL(jobId).path)
        guard let p = predictions["probabilities"], p.shape.count == 2 else {
            throw RunPlanError.mismatch(
                path: predictionsURL(jobId).path, reason: "no 'probabilities' tensor of shape [N, C]")
        }
        let history = (try? decoder.decode([EpochStats].self, from: Data(contentsOf: historyURL(jobId)))) ?? []
        func meta(_ k: String) -> Double? { predictions.metadata[k].flatMap(Double.init) }
        let record = MemberRecord(
            jobId: jobId, classes: p.shape[1], history: history, testAccuracy: meta("test_accuracy") ?? 0,
            validationAccuracy: meta("validation_accuracy"), trainSeconds: meta("train_seconds") ?? 0,
            imagesPerSecond: meta("images_per_second") ?? 0)
        return MemberResult(record: record, probabilities: p.values)
    }

    /// Writes any Encodable as pretty JSON next to the plan (summary.json and the like).
    public func writeJSON<T: Encodable>(_ value: T, name: String) throws {
        try encoder.encode(value).write(to: url.appendingPathComponent(name), options: .atomic)
    }
}
