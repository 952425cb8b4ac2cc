import CDNNL

/// Entry points of the oneDNN (DNNL) backend: thread count, and the status check every wrapper uses.
public enum DNNL {
    /// Sets how many OpenMP threads oneDNN uses for the following calls made from the calling thread.
    ///
    /// OpenMP keeps this setting per thread, so call it on the thread that trains. Convolutions build
    /// their kernels for the thread count in force when they run, and cache one set per count.
    public static func setThreads(_ n: Int) { omp_set_num_threads(Int32(max(1, n))) }

    /// How many threads oneDNN will use for calls made from the calling thread.
    public static var threads: Int { Int(omp_get_max_threads()) }

    /// C = alpha * op(A) * op(B) + beta * C, row-major, through oneDNN's own sgemm (cblas_sgemm's conventions):
    /// its kernel follows the instruction set oneDNN detects, and it runs on the same OpenMP threads as the
    /// convolutions. `lda`, `ldb`, `ldc` default to packed rows.
    @inline(__always)
    public static func sgemm(
        transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
        alpha: Float = 1, a: UnsafePointer<Float>, lda: Int? = nil,
        b: UnsafePointer<Float>, ldb: Int? = nil,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int? = nil
    ) {
        let lda = lda ?? (transA ? m : k)
        let ldb = ldb ?? (transB ? k : n)
        let ldc = ldc ?? n
        let status = dnnl_sgemm(
            transA ? tChar : nChar, transB ? tChar : nChar, Int64(m), Int64(n), Int64(k),
            alpha, a, Int64(lda), b, Int64(ldb), beta, c, Int64(ldc))
        // Only inconsistent sizes or leading dimensions fail, which is a bug in the caller.
        precondition(
            status == dnnl_success,
            "dnnl_sgemm rejected m \(m) n \(n) k \(k) lda \(lda) ldb \(ldb) ldc \(ldc) (transA \(transA), transB \(transB))"
        )
    }

    private static let nChar = CChar(UInt8(ascii: "N"))
    private static let tChar = CChar(UInt8(ascii: "T"))

    /// Throws a `DNNLError` naming `call` and `subject` unless `status` is success.
    @inline(__always)
    static func check(
        _ status: dnnl_status_t, _ call: @autoclosure () -> String,
        _ subject: @autoclosure () -> String
    ) throws {
        guard status != dnnl_success else { return }
        let name = dnnl_status2str(status).map { String(cString: $0) } ?? "status \(status.rawValue)"
        throw DNNLError.callFailed(call: call(), status: name, subject: subject())
    }
}
