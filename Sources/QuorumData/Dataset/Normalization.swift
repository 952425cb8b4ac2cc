/// Per-channel mean and standard deviation of pixel values scaled to [0, 1]; a batch is normalised
/// as (x − mean) / std. Stored in model files (and in `ensemble.json` as `normalisation`) so inference
/// normalises as training did; `NormalizationTable` turns it into the bytes-to-floats table every user shares.
public struct Normalization: Codable, Equatable, Sendable {
    /// Mean per channel.
    public var mean: [Float]
    /// Standard deviation per channel (never zero).
    public var std: [Float]

    /// A normalisation with the given per-channel statistics.
    public init(mean: [Float], std: [Float]) {
        precondition(mean.count == std.count, "\(mean.count) means for \(std.count) standard deviations")
        self.mean = mean
        self.std = std
    }

    /// The usual Fashion-MNIST training-set constants (the reference nets use them).
    public static let fashionMNIST = Normalization(mean: [0.2860], std: [0.3530])

    /// No change: mean 0, std 1 for each of `channels` channels.
    public static func identity(channels: Int) -> Normalization {
        Normalization(mean: [Float](repeating: 0, count: channels), std: [Float](repeating: 1, count: channels))
    }

    /// The statistics of `d`'s pixels. A constant channel gets std 1 so that normalising never divides by zero.
    public static func fit(_ d: Dataset) -> Normalization {
        let c = d.channels
        var histogram = [Int](repeating: 0, count: 256 * c)
        d.pixels.withUnsafeBufferPointer { p in
            var i = 0
            while i < p.count {
                for ch in 0..<c { histogram[ch * 256 + Int(p[i + ch])] += 1 }
                i += c
            }
        }
        var mean = [Float](), std = [Float]()
        for ch in 0..<c {
            var n = 0.0, sum = 0.0, sumSq = 0.0
            for v in 0..<256 {
                let k = Double(histogram[ch * 256 + v]), x = Double(v) / 255
                n += k; sum += k * x; sumSq += k * x * x
            }
            let m = n > 0 ? sum / n : 0
            let variance = n > 0 ? max(0, sumSq / n - m * m) : 0
            mean.append(Float(m))
            std.append(variance > 1e-12 ? Float(variance.squareRoot()) : 1)
        }
        return Normalization(mean: mean, std: std)
    }

    /// The channel count.
    public var channels: Int { mean.count }
}
