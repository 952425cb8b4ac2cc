import QuorumCore

/// How an epoch's order of training images is drawn.
public enum SamplingStrategy: String, Codable, Sendable, CaseIterable {
    /// Every image once, in random order.
    case shuffle
    /// Every class brought up to the largest class's count by repeating its images, then shuffled.
    case oversample
    /// Every class cut down to the smallest (non-empty) class's count, then shuffled.
    case undersample
}

/// The order in which to visit training images in `epoch`: indices into `labels`, drawn from
/// `SeededGenerator(seed:, purpose: "shuffle")` mixed with the epoch, so each epoch differs and
/// each (seed, epoch) is repeatable.
///
/// Oversampling repeats each image of a class ⌊max/count⌋ times and fills the remainder with a random
/// subset of the class (without repetition), so a class never gets an image three times while another of
/// its images appears once. Undersampling keeps a random subset of each class. Empty classes are skipped.
public func epochOrder(labels: [Int32], strategy: SamplingStrategy, epoch: Int, seed: UInt64) -> [Int] {
    var mixer = SeededGenerator(seed: seed, purpose: "shuffle")
    var rng = SeededGenerator(seed: mixer.next() ^ (UInt64(truncatingIfNeeded: epoch) &* 0x9e37_79b9_7f4a_7c15))
    var order: [Int]
    switch strategy {
    case .shuffle:
        order = Array(labels.indices)
    case .oversample, .undersample:
        let byClass = indicesByClass(labels).filter { !$0.isEmpty }
        guard let largest = byClass.map(\.count).max(), let smallest = byClass.map(\.count).min() else { return [] }
        order = []
        for var members in byClass {
            if strategy == .undersample {
                Shuffle.shuffle(&members, using: &rng)
                order.append(contentsOf: members.prefix(smallest))
            } else {
                for _ in 0..<(largest / members.count) { order.append(contentsOf: members) }
                Shuffle.shuffle(&members, using: &rng)
                order.append(contentsOf: members.prefix(largest % members.count))
            }
        }
    }
    Shuffle.shuffle(&order, using: &rng)
    return order
}

/// The indices of each label value, by label (labels below 0 are ignored).
func indicesByClass(_ labels: [Int32]) -> [[Int]] {
    let classes = Int(labels.max() ?? -1) + 1
    var groups = [[Int]](repeating: [], count: max(0, classes))
    for (i, l) in labels.enumerated() where l >= 0 { groups[Int(l)].append(i) }
    return groups
}
