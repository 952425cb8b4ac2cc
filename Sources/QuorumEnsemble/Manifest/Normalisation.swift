/// Per-channel input normalisation, `(x − mean) / std`, that every member expects.
public struct Normalisation: Codable, Sendable, Equatable {
    /// Per-channel means.
    public var mean: [Float]
    /// Per-channel standard deviations (positive).
    public var std: [Float]

    /// A normalisation with one mean and one standard deviation per channel.
    public init(mean: [Float], std: [Float]) {
        self.mean = mean
        self.std = std
    }
}
