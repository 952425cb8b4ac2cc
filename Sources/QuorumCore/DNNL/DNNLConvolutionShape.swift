import CDNNL

/// The fixed geometry of one convolution: image size, channels, square kernel, stride and symmetric padding.
struct DNNLConvolutionShape: Hashable, CustomStringConvertible {
    /// Input height and width.
    let height: Int, width: Int
    /// Input and output channels.
    let inChannels: Int, outChannels: Int
    /// Kernel side, stride and zero padding on each border.
    let kernel: Int, stride: Int, padding: Int

    /// Output height: floor((H + 2p − K) / s) + 1.
    var outHeight: Int { (height + 2 * padding - kernel) / stride + 1 }
    /// Output width.
    var outWidth: Int { (width + 2 * padding - kernel) / stride + 1 }

    /// For error messages, e.g. `convolution 14x14x32->64 k3 s1 p1`.
    var description: String {
        "convolution \(height)x\(width)x\(inChannels)->\(outChannels) k\(kernel) s\(stride) p\(padding)"
    }

    /// oneDNN's logical dims (always N, C, H, W) of the input for `batch` images.
    func sourceDims(_ batch: Int) -> [Int] { [batch, inChannels, height, width] }
    /// oneDNN's logical dims of the output for `batch` images.
    func destinationDims(_ batch: Int) -> [Int] { [batch, outChannels, outHeight, outWidth] }
    /// oneDNN's logical dims (O, I, KH, KW) of the weights.
    var weightDims: [Int] { [outChannels, inChannels, kernel, kernel] }
}
