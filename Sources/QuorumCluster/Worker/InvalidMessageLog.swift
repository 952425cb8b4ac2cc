/// Keeps a flood of invalid messages from flooding the log: the first is logged at once, later ones at
/// most once per interval as one line with their count and the latest error.
struct InvalidMessageLog {
    /// Seconds between lines.
    let interval: Double
    private var lastLine = -Double.infinity
    private var unreported = 0

    /// A log writing at most one line per `interval` seconds.
    init(interval: Double = 5) { self.interval = interval }

    /// The line to log for one more invalid message, or nil when it only counts.
    mutating func note(_ error: String, at now: Double) -> String? {
        unreported += 1
        guard now - lastLine >= interval else { return nil }
        defer { unreported = 0; lastLine = now }
        if unreported == 1 { return "invalid message from the coordinator dropped: \(error)" }
        return "\(unreported) more invalid messages from the coordinator dropped; the last: \(error)"
    }
}
