/// Which memory layouts oneDNN's convolution kernels may pick for themselves.
///
/// The caller's buffers are always NHWC activations and HWIO weights. oneDNN's fastest CPU kernels
/// want blocked layouts; each argument the kernel lays out differently goes through a cached reorder.
enum DNNLLayout: CaseIterable {
    /// Activations NHWC and weights HWIO inside the kernel too: no reorders at all.
    case plain
    /// Activations NHWC, weights in the kernel's blocked layout (reordered on every call; they are small).
    case blockedWeights
    /// Every argument in the kernel's chosen layout (activations reordered in and out).
    case blocked
}
