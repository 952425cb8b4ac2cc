import Logging

/// The command line's log lines: `[WORKER] level: text` when the logger carries `worker` metadata (a worker's
/// name), else `level: text`, handed to `write` (standard error, or the live table, which redraws below it).
///
/// Other metadata (a job id) is left out of the line, since the text already names what it is about.
struct TerminalLogHandler: LogHandler {
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info
    private let write: (String) -> Void

    /// A handler for `label` writing each line through `write`.
    init(label: String, write: @escaping (String) -> Void = Terminal.log) {
        self.write = write
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let worker = event.metadata?["worker"] ?? metadata["worker"]
        write((worker.map { "[\($0)] " } ?? "") + "\(event.level): \(event.message)")
    }
}
