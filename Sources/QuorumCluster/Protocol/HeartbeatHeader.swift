/// HEARTBEAT header: the message itself is the signal. From the coordinator it may also carry `threads`,
/// the thread count the receiving worker may use for the job it holds (cores that idle workers on the same
/// machine leave free); absent, the job's own count applies. Workers that predate the field ignore it.
public struct HeartbeatHeader: ProtocolHeader {
    /// HEARTBEAT.
    public static let command = Command.heartbeat
    /// The thread count the worker may use for its current job from now on; nil: the job's own `threads`.
    public var threads: Int?

    /// A heartbeat, with a thread-count hint when `threads` is given.
    public init(threads: Int? = nil) { self.threads = threads }

    private struct Keys: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
        static let threads = Keys(stringValue: "threads")!
    }

    /// Accepts any JSON object (and nothing else), reading `threads` when present; other keys are ignored so
    /// that later versions may add some. The synthesized decoder of an empty struct would accept any value.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: Keys.self)
        threads = try container.decodeIfPresent(Int.self, forKey: .threads)
    }

    /// Writes `{}`, or `{"threads": n}` with a hint.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encodeIfPresent(threads, forKey: .threads)
    }

    /// Checks the hint's range.
    public func validate(_ check: FieldValidator) throws {
        if let threads { try check.integer(threads, "threads", 1...65_536) }
    }
}
