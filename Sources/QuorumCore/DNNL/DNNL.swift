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

    /// Throws a `DNNLError` naming `call` and `subject` unless `status` is success.
    @inline(__always)
    static func check(_ status: dnnl_status_t, _ call: @autoclosure () -> String,
                      _ subject: @autoclosure () -> String) throws {
        guard status != dnnl_success else { return }
        let name = dnnl_status2str(status).map { String(cString: $0) } ?? "status \(status.rawValue)"
        throw DNNLError.callFailed(call: call(), status: name, subject: subject())
    }
}
