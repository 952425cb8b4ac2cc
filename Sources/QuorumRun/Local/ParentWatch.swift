#if canImport(Glibc)
    import Glibc
#endif

/// Tells a local worker whether the process that started it is still there.
public struct ParentWatch: Sendable {
    public let parentPID: Int32

    public init(parentPID: Int32) { self.parentPID = parentPID }

    /// False once the parent has exited (the worker has been re-parented, or the pid is gone).
    public var parentAlive: Bool { getppid() == parentPID && kill(parentPID, 0) == 0 }
}
