import Logging

extension Logger {
    /// A logger that drops every line: the default of the library types that log, so a caller that passes no
    /// `Logger` gets no output, as with swift-log's own libraries.
    public static func silent(_ label: String) -> Logger {
        Logger(label: label, factory: { _ in SwiftLogNoOpLogHandler() })
    }
}
