/// The one thread-count knob of the numeric core: oneDNN's OpenMP pool, which runs every convolution and GEMM.
///
/// OpenMP keeps its count per thread, so call `set` on the thread that computes.
public enum ComputeThreads {
    /// Sets the calling thread's OpenMP thread count to `n` (at least 1).
    public static func set(_ n: Int) { DNNL.setThreads(max(1, n)) }

    /// The calling thread's OpenMP thread count, which decides how oneDNN splits the work.
    public static var current: Int { DNNL.threads }
}
