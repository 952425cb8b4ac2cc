import Foundation

/// Where human-readable output goes, and whether it is a terminal that can redraw a line.
enum Terminal {
    /// True when standard error is a terminal (progress bars redraw there; elsewhere they log lines).
    static var isInteractive: Bool { isatty(STDERR_FILENO) != 0 }

    /// Writes to standard error without a newline.
    static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// Writes a line to standard error.
    static func log(_ line: String) { write(line + "\n") }

    /// "1m05s" style durations for ETAs.
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        let s = Int(seconds.rounded())
        if s >= 3600 { return "\(s / 3600)h\(String(format: "%02d", s % 3600 / 60))m" }
        if s >= 60 { return "\(s / 60)m\(String(format: "%02d", s % 60))s" }
        return "\(s)s"
    }

    /// "91.23 %" style percentages.
    static func percent(_ fraction: Double) -> String { String(format: "%.2f %%", fraction * 100) }
}
