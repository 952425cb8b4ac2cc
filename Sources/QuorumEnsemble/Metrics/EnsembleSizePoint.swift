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

    /// A point from its figures.
    public init(size: Int, hardAccuracy: Double, softAccuracy: Double, subsets: Int, exact: Bool) {
        self.size = size
        self.hardAccuracy = hardAccuracy
        self.softAccuracy = softAccuracy
        self.subsets = subsets
        self.exact = exact
    }

    enum CodingKeys: String, CodingKey {
        case size, subsets, exact
        case hardAccuracy = "hard_accuracy"
        case softAccuracy = "soft_accuracy"
    }
}
