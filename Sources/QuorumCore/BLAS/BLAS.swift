import CBLAS

/// The BLAS calls the core uses, row-major, and the knobs of the OpenBLAS build underneath.
public enum BLAS {
    /// C = alpha * op(A) * op(B) + beta * C, all row-major. `lda`, `ldb`, `ldc` default to packed rows.
    @inline(__always)
    public static func sgemm(transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
                             alpha: Float = 1, a: UnsafePointer<Float>, lda: Int? = nil,
                             b: UnsafePointer<Float>, ldb: Int? = nil,
                             beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int? = nil) {
        let lda = lda ?? (transA ? m : k)
        let ldb = ldb ?? (transB ? k : n)
        cblas_sgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                    Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc ?? n))
    }

    /// Sets how many threads OpenBLAS uses for every following call.
    public static func setThreads(_ n: Int) { openblas_set_num_threads(Int32(max(1, n))) }

    /// How many threads OpenBLAS uses now.
    public static var threads: Int { Int(openblas_get_num_threads()) }

    /// The name of the kernel OpenBLAS runs (e.g. `Haswell`, `Cooperlake`): it depends on the CPU and on
    /// the OPENBLAS_CORETYPE environment variable, and decides both speed and the exact bits of results.
    public static var kernelName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name).trimmingCharacters(in: .whitespaces)
    }
}

import Foundation
