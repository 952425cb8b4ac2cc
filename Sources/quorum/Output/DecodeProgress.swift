import Foundation

/// A line redrawn on a terminal while an image folder's files are decoded: the first run on a folder of
/// tens of thousands of images takes long enough that silence would look like a hang.
final class DecodeProgress: @unchecked Sendable {
    private let label: String
    private let lock = NSLock()
    private var shownPercent = -1

    private init(label: String) { self.label = label }

    /// A progress callback for `label` (e.g. "decoding images"), or nil when nothing should be drawn: with
    /// `quiet`, or when standard error is not a terminal.
    static func terminal(_ label: String, quiet: Bool) -> (@Sendable (Int, Int) -> Void)? {
        guard !quiet, Terminal.isInteractive else { return nil }
        let progress = DecodeProgress(label: label)
        return { done, total in progress.show(done: done, total: total) }
    }

    // Called from every decoding thread: one redraw per whole percent, the last one ending the line.
    private func show(done: Int, total: Int) {
        let percent = total > 0 ? 100 * done / total : 100
        lock.lock()
        defer { lock.unlock() }
        guard percent != shownPercent else { return }
        shownPercent = percent
        Terminal.write("\r\u{1B}[2K\(label): \(done)/\(total) files (\(percent) %)" + (done >= total ? "\n" : ""))
    }
}
