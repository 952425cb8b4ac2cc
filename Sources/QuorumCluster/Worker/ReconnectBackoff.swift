/// The wait before each reconnect to a silent coordinator: starts small, doubles up to a cap, and starts
/// over once the coordinator is heard again, so a short blip costs little and a long outage costs no
/// storm of connection attempts.
public struct ReconnectBackoff: Sendable, Equatable {
    /// The first wait, in seconds.
    public let initial: Double
    /// The longest wait, in seconds.
    public let maximum: Double
    /// The wait the next reconnect will use.
    public private(set) var current: Double

    /// A back-off from `initial` doubling to `maximum` (1 s to 32 s in the protocol's defaults).
    public init(initial: Double, maximum: Double) {
        self.initial = initial
        self.maximum = max(initial, maximum)
        current = initial
    }

    /// Returns the wait for this reconnect and doubles the next one, up to the maximum.
    public mutating func next() -> Double {
        let wait = current
        current = min(current * 2, maximum)
        return wait
    }

    /// Starts over from the initial wait.
    public mutating func reset() { current = initial }
}
