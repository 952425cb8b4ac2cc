import Foundation

/// A thread-safe flag that one thread sets and another polls: a job's cancellation, a loop's stop request.
public final class CancellationFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var cancelled = false
    private var why: String?

    /// A flag that is not set.
    public init() {}

    /// Whether `cancel` was called. Training loops check this between batches and stop early.
    public var isCancelled: Bool { lock.lock(); defer { lock.unlock() }; return cancelled }

    /// Why it was cancelled, if said.
    public var reason: String? { lock.lock(); defer { lock.unlock() }; return why }

    /// Sets the flag; the first reason given is kept.
    public func cancel(reason: String? = nil) {
        lock.lock()
        defer { lock.unlock() }
        if !cancelled { why = reason }
        cancelled = true
    }
}
