/// The spread of the members' accuracies: mean, standard deviation and the best member.
public struct AccuracySummary: Codable, Sendable, Equatable {
    /// Mean accuracy over members (0...1).
    public let mean: Double
    /// Sample standard deviation (n − 1 denominator; 0 for a single member), in the same unit as `mean`.
    public let std: Double
    /// Index of the most accurate member (the first one on ties).
    public let bestIndex: Int
    /// Accuracy of the most accurate member (0...1).
    public let best: Double

    /// Summarises `accuracies`, which must not be empty.
    public init(_ accuracies: [Double]) {
        precondition(!accuracies.isEmpty, "no member accuracies to summarise")
        let n = Double(accuracies.count)
        let mean = accuracies.reduce(0, +) / n
        self.mean = mean
        let squares = accuracies.reduce(0.0) { $0 + ($1 - mean) * ($1 - mean) }
        std = accuracies.count > 1 ? (squares / (n - 1)).squareRoot() : 0
        var bestIndex = 0
        for (i, a) in accuracies.enumerated() where a > accuracies[bestIndex] { bestIndex = i }
        self.bestIndex = bestIndex
        best = accuracies[bestIndex]
    }
}
