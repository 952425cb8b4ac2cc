/// Vote accuracy of sub-ensembles of one size, averaged over member subsets.
public struct EnsembleSizePoint: Codable, Sendable, Equatable {
    /// Number of members voting (k).
    public let size: Int
    /// Mean hard-vote accuracy over the subsets (0...1).
    public let hardAccuracy: Double
    /// Mean soft-vote accuracy over the subsets (0...1).
    public let softAccuracy: Double
    /// How many subsets were averaged.
    public let subsets: Int
    /// True when every subset of this size was used, false when random orders were sampled.
    public let exact: Bool
    /// The lowest and highest hard-vote accuracy among the subsets (nil when not measured).
    public var hardRange: ClosedRange<Double>? = nil
    /// The lowest and highest soft-vote accuracy among the subsets (nil when not measured).
    public var softRange: ClosedRange<Double>? = nil

    /// A point from its figures.
    public init(
        size: Int, hardAccuracy: Double, softAccuracy: Double, subsets: Int, exact: Bool,
        hardRange: ClosedRange<Double>? = nil, softRange: ClosedRange<Double>? = nil
    ) {
        self.size = size
        self.hardAccuracy = hardAccuracy
        self.softAccuracy = softAccuracy
        self.subsets = subsets
        self.exact = exact
        self.hardRange = hardRange
        self.softRange = softRange
    }

    enum CodingKeys: String, CodingKey {
        case size, subsets, exact
        case hardRange = "hard_range"
        case softRange = "soft_range"
        case hardAccuracy = "hard_accuracy"
        case softAccuracy = "soft_accuracy"
    }
}
