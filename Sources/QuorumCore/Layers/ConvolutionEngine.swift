/// The implementation that runs a `Conv2D`.
public enum ConvolutionEngine: String, Sendable {
    /// oneDNN's convolution primitives (the default).
    case oneDNN
    /// im2col followed by one GEMM: the fallback for geometries oneDNN cannot build a primitive for.
    case im2col
}
