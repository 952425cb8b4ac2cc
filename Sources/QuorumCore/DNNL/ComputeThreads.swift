/// The one thread-count knob of the numeric core: OpenBLAS and oneDNN's OpenMP pool together.
///
/// Convolutions and GEMMs run on oneDNN's OpenMP threads; OpenBLAS is still linked (and used by code
/// outside the training step), and its pthreads would compete with OpenMP for the same cores if the two
/// counts disagreed. OpenMP keeps its count per thread, so call `set` on the thread that computes.
public enum ComputeThreads {
    /// Sets both OpenBLAS's and the calling thread's OpenMP thread count to `n` (at least 1).
    public static func set(_ n: Int) {
        let count = max(1, n)
        BLAS.setThreads(count)
        DNNL.setThreads(count)
    }

    /// The calling thread's OpenMP thread count, which decides how oneDNN splits the work.
    public static var current: Int { DNNL.threads }
}
