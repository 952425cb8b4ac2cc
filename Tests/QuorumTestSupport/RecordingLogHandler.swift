import Logging

/// A log handler that keeps `level: text` lines, and when asked each line with its metadata, for a test to read.
public struct RecordingLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .trace
    let lines: Recorder<String>
    let entries: Recorder<(line: String, metadata: Logger.Metadata)>?

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let line = "\(event.level): \(event.message)"
        lines.append(line)
        entries?.append((line, metadata.merging(event.metadata ?? [:]) { $1 }))
    }
}

extension Logger {
    /// A logger whose lines go to `lines` (and, with their metadata, to `entries` when given).
    public static func recording(
        _ lines: Recorder<String>,
        entries: Recorder<(line: String, metadata: Logger.Metadata)>? = nil
    ) -> Logger {
        Logger(label: "test") { _ in RecordingLogHandler(lines: lines, entries: entries) }
    }
}
