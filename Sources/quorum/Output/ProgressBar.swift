import QuorumData
import QuorumTraining

/// Shows training progress: a bar redrawn in place on a terminal, or one log line per epoch elsewhere.
struct ProgressBar {
    var quiet: Bool
    var label: String = ""

    func show(_ p: TrainingProgress) {
        guard !quiet else { return }
        let prefix = label.isEmpty ? "" : "\(label) "
        if let e = p.finishedEpoch {
            var line =
                "\(prefix)epoch \(e.epoch)/\(p.epochs)  loss \(fmt(e.trainLoss, 4))  acc \(Terminal.percent(e.trainAccuracy))"
            if let vl = e.validationLoss, let va = e.validationAccuracy {
                line += "  val loss \(fmt(vl, 4))  val acc \(Terminal.percent(va))"
            }
            line += "  \(Int(e.imagesPerSecond)) img/s  \(fmt(e.seconds, 1)) s"
            Terminal.write(Terminal.isInteractive ? "\r\u{1B}[2K" + line + "\n" : line + "\n")
        } else if Terminal.isInteractive {
            let width = 24
            let filled = p.batches > 0 ? width * p.batch / p.batches : 0
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            Terminal.write(
                "\r\u{1B}[2K\(prefix)epoch \(p.epoch)/\(p.epochs) [\(bar)] \(p.batch)/\(p.batches)  loss \(fmt(p.loss, 4))  acc \(Terminal.percent(p.accuracy))  \(Int(p.imagesPerSecond)) img/s  ETA \(Terminal.duration(p.etaSeconds))"
            )
        }
    }

    private func fmt(_ v: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", v) }
}

import Foundation
