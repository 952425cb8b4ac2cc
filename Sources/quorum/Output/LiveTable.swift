import Foundation
import QuorumCluster
import QuorumRun

/// The coordinator's view of a run while it trains: one row per member, redrawn in place on a terminal;
/// plain log lines (one per finished epoch and member) elsewhere.
final class LiveTable {
    private struct Row {
        var worker = "-"
        var epoch = 0, epochs = 0, batch = 0, batches = 0
        var loss: Double?
        var validationAccuracy: Double?
        var imagesPerSecond: Double?
        var eta: Double?
        var state = "queued"
    }

    private let plan: RunPlan
    private let quiet: Bool
    private let interactive = Terminal.isInteractive
    private var rows: [String: Row] = [:]
    /// Workers refused for the rest of the run, with why (already escaped), shown under the table.
    private var refusedWorkers: [(worker: String, reason: String)] = []
    private var drawnLines = 0
    private var lastDraw = Date.distantPast
    private let lock = NSLock()

    init(plan: RunPlan, completed: Set<String>, quiet: Bool) {
        self.plan = plan
        self.quiet = quiet
        for m in plan.members {
            var row = Row()
            row.epochs = m.config.epochs
            if completed.contains(m.jobId) { row.state = "done (earlier)"; row.epoch = m.config.epochs }
            rows[m.jobId] = row
        }
    }

    func progress(worker: String, _ p: ProgressHeader) {
        lock.lock(); defer { lock.unlock() }
        guard var row = rows[p.jobId], let member = plan.members.first(where: { $0.jobId == p.jobId }) else { return }
        row.worker = PeerText.escaped(worker, limit: 64)
        row.epoch = p.epoch; row.epochs = p.epochs; row.batch = p.batch; row.batches = p.batches
        row.loss = p.loss
        if let v = p.validationAccuracy { row.validationAccuracy = v }
        row.imagesPerSecond = p.imagesPerSecond
        let remainingBatches = Double((p.epochs - p.epoch) * p.batches + (p.batches - p.batch))
        row.eta = remainingBatches * Double(member.config.batchSize) / max(p.imagesPerSecond, 1e-9)
        row.state = "training"
        rows[p.jobId] = row
        if !interactive, !quiet, let v = p.validationAccuracy {
            Terminal.log(
                "\(p.jobId) on \(worker): epoch \(p.epoch)/\(p.epochs) loss \(String(format: "%.4f", p.loss)) val acc \(Terminal.percent(v)) \(Int(p.imagesPerSecond)) img/s"
            )
        }
        drawIfDue()
    }

    func saved(jobId: String, testAccuracy: Double) {
        lock.lock(); defer { lock.unlock() }
        if var row = rows[jobId] {
            row.state = "done " + Terminal.percent(testAccuracy)
            row.eta = 0
            row.epoch = row.epochs
            row.batch = row.batches
            rows[jobId] = row
        }
        if !interactive && !quiet { Terminal.log("\(jobId) finished: test accuracy \(Terminal.percent(testAccuracy))") }
        draw(force: true)
    }

    /// A member's state column (rejected and re-queued, given up), redrawn at once.
    func state(jobId: String, _ text: String) {
        lock.lock(); defer { lock.unlock() }
        rows[jobId]?.state = text
        draw(force: true)
    }

    /// A worker refused for the rest of the run: logged at once, and listed under the table from now on.
    func refused(worker: String, reason: String) {
        lock.lock(); defer { lock.unlock() }
        refusedWorkers.append((worker, reason))
        if !interactive && !quiet { Terminal.log("worker \(worker) refused for the rest of the run: \(reason)") }
        draw(force: true)
    }

    func log(_ line: String) {
        lock.lock(); defer { lock.unlock() }
        guard !quiet else { return }
        if interactive { erase() }
        Terminal.log(line)
        if interactive { draw(force: true) }
    }

    /// Draws a last time and leaves the table on screen.
    func finish() {
        lock.lock(); defer { lock.unlock() }
        draw(force: true)
        drawnLines = 0
    }

    private func drawIfDue() { draw(force: false) }

    private func erase() {
        if drawnLines > 0 { Terminal.write("\u{1B}[\(drawnLines)A\u{1B}[J") }
        drawnLines = 0
    }

    private func draw(force: Bool) {
        guard interactive, !quiet else { return }
        guard force || Date().timeIntervalSince(lastDraw) > 0.25 else { return }
        lastDraw = Date()
        erase()
        var lines = [
            pad("member", 10) + pad("worker", 12) + pad("epoch", 10) + pad("loss", 8) + pad("val acc", 9)
                + pad("img/s", 7) + pad("ETA", 8) + "state"
        ]
        for m in plan.members {
            let r = rows[m.jobId] ?? Row()
            let epoch = r.epoch == 0 ? "-" : "\(r.epoch)/\(r.epochs)"
            lines.append(
                pad(m.jobId, 10) + pad(r.worker, 12) + pad(epoch, 10)
                    + pad(r.loss.map { String(format: "%.4f", $0) } ?? "-", 8)
                    + pad(r.validationAccuracy.map { String(format: "%.2f%%", $0 * 100) } ?? "-", 9)
                    + pad(r.imagesPerSecond.map { "\(Int($0))" } ?? "-", 7)
                    + pad(r.eta.map { Terminal.duration($0) } ?? "-", 8) + r.state)
        }
        for r in refusedWorkers { lines.append("refused: \(r.worker): " + String(r.reason.prefix(100))) }
        Terminal.write(lines.joined(separator: "\n") + "\n")
        drawnLines = lines.count
    }

    private func pad(_ s: String, _ n: Int) -> String {
        s.count >= n ? String(s.prefix(n - 1)) + " " : s + String(repeating: " ", count: n - s.count)
    }
}
