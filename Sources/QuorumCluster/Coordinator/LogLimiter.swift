/// Keeps a flood of similar warnings readable: the first line per peer per interval goes out at once, the
/// rest are counted and summed up in one line when the interval ends.
///
/// Peers are keyed by whatever names them (routing id, address); at most `maxPeers` peers are tracked
/// per interval, the others share one summary line, so a million one-shot peers cost one line a second.
public struct LogLimiter {
    private struct Window {
        var start: Double
        var suppressed = 0
        var last = ""
    }

    /// How long one peer's window lasts, in seconds.
    public let interval: Double
    /// How many peers get their own line per interval.
    public let maxPeers: Int
    private var windows: [String: Window] = [:]
    private var overflow = 0
    private var overflowStart: Double?

    /// A limiter with `interval`-second windows for up to `maxPeers` peers.
    public init(interval: Double = 10, maxPeers: Int = 64) {
        self.interval = interval
        self.maxPeers = maxPeers
    }

    /// The line to log now for `peer`, or nil when it is counted for a later summary instead.
    public mutating func note(_ peer: String, _ line: String, at time: Double) -> String? {
        if var window = windows[peer], time - window.start < interval {
            window.suppressed += 1
            window.last = line
            windows[peer] = window
            return nil
        }
        if windows[peer] == nil && windows.count >= maxPeers {
            overflow += 1
            if overflowStart == nil { overflowStart = time }
            return nil
        }
        windows[peer] = Window(start: time)
        return line
    }

    /// Summary lines for the windows that ended by `time`; forgets them.
    public mutating func flush(at time: Double) -> [String] {
        var lines: [String] = []
        for (peer, window) in windows where time - window.start >= interval {
            if window.suppressed > 0 {
                lines.append(
                    "\(window.suppressed) more like this from \(peer) in the last \(Int(interval)) s; "
                        + "last: \(window.last)")
            }
            windows[peer] = nil
        }
        if let start = overflowStart, time - start >= interval {
            lines.append(
                "\(overflow) more warning(s) from other peers in the last \(Int(interval)) s "
                    + "were not logged one by one")
            overflow = 0
            overflowStart = nil
        }
        return lines.sorted()
    }
}
