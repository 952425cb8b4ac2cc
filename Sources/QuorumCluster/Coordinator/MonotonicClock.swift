#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// Seconds on a clock that never jumps (wall-clock changes would otherwise expire every worker at once).
public enum MonotonicClock {
    /// The current reading.
    public static func now() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }
}
