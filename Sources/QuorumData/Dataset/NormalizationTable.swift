/// A normalisation as the network sees it: each byte 0...255 of each channel turned into
/// (v/255 − mean)·(1/std) by a table lookup.
///
/// Training batches, evaluation and `quorum vote` all convert pixels here, so a member's inputs, and hence
/// its probabilities, are the same bits wherever it runs. The product with 1/std (rather than a division)
/// is what members have always been trained with; changing it would change their bytes.
public final class NormalizationTable: @unchecked Sendable {
    /// The statistics the table was made from.
    public let normalization: Normalization
    /// The channel count.
    public let channels: Int
    /// 1/std per channel.
    private let inverseStd: [Float]
    /// `256 × channels` floats, channel-major: the value of byte v in channel c is at `c * 256 + v`.
    private let table: UnsafeMutablePointer<Float>

    /// The table of `normalization`. Immutable once made, so threads may share it.
    public init(_ normalization: Normalization) {
        self.normalization = normalization
        channels = normalization.channels
        inverseStd = normalization.std.map { 1 / $0 }
        table = .allocate(capacity: 256 * channels)
        for c in 0..<channels {
            for v in 0..<256 { table[c * 256 + v] = standardized(Float(v) / 255, channel: c) }
        }
    }

    deinit { table.deallocate() }

    /// (x − mean)·(1/std) of channel `c`, for a pixel already scaled to [0, 1] (e.g. after augmentation).
    @inline(__always)
    public func standardized(_ x: Float, channel c: Int) -> Float { (x - normalization.mean[c]) * inverseStd[c] }

    /// The value of a black pixel as test-time views pad with it, per channel: −mean/std, as evaluation has
    /// always computed it.
    public var black: [Float] { zip(normalization.mean, normalization.std).map { -$0 / $1 } }

    /// Converts `count` interleaved (HWC) bytes, a whole number of pixels, into normalised floats.
    public func normalize(_ bytes: UnsafePointer<UInt8>, count: Int, into floats: UnsafeMutablePointer<Float>) {
        if channels == 1 {
            for i in 0..<count { floats[i] = table[Int(bytes[i])] }
            return
        }
        var i = 0
        while i < count {
            for c in 0..<channels { floats[i + c] = table[c * 256 + Int(bytes[i + c])] }
            i += channels
        }
    }
}
