import Foundation
import QuorumCore
import QuorumEnsemble

/// Accuracy against ensemble size with members read one at a time: `EnsembleMetrics.ensembleSizeCurve`'s
/// figures, bit for bit, in O(samples × classes) memory.
///
/// A size whose subsets number at most `exactLimit` is averaged over every subset, each voted from scratch.
/// Any other size is sampled: the prefixes of `orders` random member orders (drawn from `seed` as the
/// in-memory curve draws them). Each order is one pass over the members that adds them one by one and scores
/// every prefix whose size is sampled, so a 1,000-member curve costs `orders` passes, not a million subsets.
/// Points say which they are (`exact`, `subsets`). Beyond `allSizesUpTo` members only some sizes are scored
/// (every size up to 20, then about 40 spread evenly on a log scale, and the whole ensemble): scoring a prefix
/// costs a vote over the test set, and a thousand of them per order would cost more than reading the members.
public enum StreamingSizeCurve {
    /// The sizes scored for `m` members: all of them up to `allUpTo`, else 1...20, about 40 more spread on a log
    /// scale, and `m`.
    static func sizes(_ m: Int, allUpTo: Int) -> Set<Int> {
        guard m > allUpTo else { return Set(1...max(m, 1)) }
        var sizes = Set(1...20)
        sizes.insert(m)
        let steps = 40.0
        for i in 0...Int(steps) {
            sizes.insert(min(m, Int((20 * pow(Double(m) / 20, Double(i) / steps)).rounded())))
        }
        return sizes
    }

    /// The curve for `memberCount` members; `member(i)` reads member i's predictions (called once per use).
    public static func compute(
        memberCount m: Int, labels: [Int32], classes: Int, orders: Int = 10, seed: UInt64 = 0,
        exactLimit: Int = 50, allSizesUpTo: Int = 100, member: (Int) throws -> MemberPredictions
    ) throws -> [EnsembleSizePoint] {
        precondition(orders > 0, "need at least one random order")
        guard m > 0 else { return [] }
        var generator = SeededGenerator(seed: seed, purpose: "ensemble-size")
        let permutations: [[Int]] = (0..<orders).map { _ in Array(0..<m).shuffled(using: &generator) }
        let exact = (0...m).map { EnsembleMetrics.binomial(m, $0, cap: exactLimit) <= exactLimit }
        let scored = Self.sizes(m, allUpTo: allSizesUpTo)
        let tally = SubsetTally(labels: labels, classes: classes)
        var hard = [Double](repeating: 0, count: m + 1), soft = hard
        var hardRange = [ClosedRange<Double>?](repeating: nil, count: m + 1), softRange = hardRange
        var subsets = [Int](repeating: 0, count: m + 1)
        func record(_ k: Int, _ h: Double, _ s: Double) {
            hard[k] += h
            soft[k] += s
            subsets[k] += 1
            hardRange[k] = hardRange[k].map { min($0.lowerBound, h)...max($0.upperBound, h) } ?? h...h
            softRange[k] = softRange[k].map { min($0.lowerBound, s)...max($0.upperBound, s) } ?? s...s
        }
        for k in 1...m where exact[k] && scored.contains(k) {
            for subset in EnsembleMetrics.combinations(m, k) {
                tally.reset()
                for i in subset { try tally.add(member(i)) }
                let (h, s) = tally.accuracies()
                record(k, h, s)
            }
        }
        if exact[1...m].contains(false) {
            for order in permutations {
                tally.reset()
                for (j, i) in order.enumerated() {
                    let k = j + 1
                    try tally.add(member(i))
                    guard !exact[k], scored.contains(k) else { continue }
                    let (h, s) = tally.accuracies()
                    record(k, h, s)
                }
            }
        }
        return (1...m).filter { scored.contains($0) }.map { (k: Int) -> EnsembleSizePoint in
            let count = Double(subsets[k])
            return EnsembleSizePoint(
                size: k, hardAccuracy: hard[k] / count, softAccuracy: soft[k] / count, subsets: subsets[k],
                exact: exact[k], hardRange: hardRange[k], softRange: softRange[k])
        }
    }
}

/// The probability sums and top-answer counts of one member subset, scored with `Voting`'s tie rules.
final class SubsetTally {
    private let labels: [Int32]
    private let classes: Int
    private var sums: [Float]
    private var votes: [Int32]

    init(labels: [Int32], classes: Int) {
        self.labels = labels
        self.classes = classes
        sums = [Float](repeating: 0, count: labels.count * classes)
        votes = [Int32](repeating: 0, count: labels.count * classes)
    }

    /// Empties the subset.
    func reset() {
        for i in sums.indices {
            sums[i] = 0
            votes[i] = 0
        }
    }

    /// Adds one member to the subset.
    func add(_ member: MemberPredictions) throws {
        let n = labels.count, c = classes
        guard member.count == n, member.classes == c else {
            throw EnsembleError.shapeMismatch(
                member: member.name, expected: "\(n) samples × \(c) classes",
                found: "\(member.count) samples × \(member.classes) classes")
        }
        member.probabilities.withUnsafeBufferPointer { p in
            for i in 0..<n * c { sums[i] += p[i] }
            for s in 0..<n { votes[s * c + argmax(p.baseAddress! + s * c, c).index] += 1 }
        }
    }

    /// Hard- and soft-vote accuracy of the subset.
    func accuracies() -> (hard: Double, soft: Double) {
        let n = labels.count, c = classes
        guard n > 0 else { return (0, 0) }
        var hardRight = 0, softRight = 0
        sums.withUnsafeBufferPointer { sp in
            votes.withUnsafeBufferPointer { vp in
                for s in 0..<n {
                    let label = Int(labels[s])
                    let row = sp.baseAddress! + s * c
                    if VoteKernel.hardWinner(votes: vp.baseAddress! + s * c, sums: row, c).index == label {
                        hardRight += 1
                    }
                    if argmax(row, c).index == label { softRight += 1 }
                }
            }
        }
        return (Double(hardRight) / Double(n), Double(softRight) / Double(n))
    }
}
