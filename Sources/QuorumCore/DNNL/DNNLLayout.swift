/// Which memory layouts oneDNN's convolution kernels may pick for themselves.
///
/// The caller's buffers are always NHWC activations and HWIO weights. oneDNN's fastest CPU kernels
/// want blocked layouts; each argument the kernel lays out differently goes through a cached reorder.
/// Which one wins depends on the step and the channel count, measured on cnn-a's layers.
enum DNNLLayout: CaseIterable {
    /// Activations NHWC and weights HWIO inside the kernel too: no reorders at all.
    case plain
    /// Activations NHWC, weights in the kernel's blocked layout (reordered on every call; they are small).
    case blockedWeights
    /// Every argument in the kernel's chosen layout (activations reordered in and out).
    case blocked
    /// `blockedWeights`, except that the weight-gradient step lays out activations its own way too when
    /// there are at least 16 input channels: there oneDNN's blocked kernel outruns its NHWC one by more
    /// than the two reorders cost (cnn-a's 32→64 layer at batch 64: about 20 % faster), while with few
    /// input channels it is several times slower. The default.
    case mixed

    /// Whether a step's kernel may choose its own activation layout (rather than NHWC).
    func blocksActivations(weightGradient: Bool, inChannels: Int) -> Bool {
        switch self {
        case .plain, .blockedWeights: return false
        case .blocked: return true
        case .mixed: return weightGradient && inChannels >= 16
        }
    }
}
