import CDNNL

/// What actually runs the arithmetic on this machine, for benchmarks and logs.
public enum ComputeEngine {
    /// oneDNN's version, e.g. `2.6.3`.
    public static var oneDNNVersion: String {
        guard let v = dnnl_version()?.pointee else { return "unknown" }
        return "\(v.major).\(v.minor).\(v.patch)"
    }

    /// The instruction set oneDNN's JIT kernels use here, e.g. `avx2` or `avx512_core`. Together with the
    /// binary and the thread count it decides the exact bits of every result: kernels for different instruction
    /// sets block and sum in different orders, so a member trained on AVX2 differs in the last bits from the
    /// same member trained on AVX-512. READY carries it as `isa`.
    public static var oneDNNInstructionSet: String {
        guard let name = dnnl_cpu_isa2str(dnnl_get_effective_cpu_isa()) else { return "unknown" }
        let text = String(cString: name)
        // dnnl_cpu_isa2str answers with the enum's name (`cpu_isa_avx2`); the prefix is noise in a report.
        for prefix in ["dnnl_cpu_isa_", "cpu_isa_"] where text.hasPrefix(prefix) {
            return String(text.dropFirst(prefix.count))
        }
        return text
    }

    /// One line such as `oneDNN 2.6.3 jit:avx2 conv + sgemm`: oneDNN runs every convolution and GEMM.
    public static var summary: String {
        "oneDNN \(oneDNNVersion) jit:\(oneDNNInstructionSet) conv + sgemm"
    }
}
