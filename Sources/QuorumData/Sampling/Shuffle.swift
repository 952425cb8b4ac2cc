import QuorumCore

/// Fisher–Yates shuffles written out here, so an order depends only on the seed and never on the
/// standard library's shuffle algorithm, which may change between Swift versions.
public enum Shuffle {
    /// A random permutation of `0..<n`.
    public static func permutation(_ n: Int, using rng: inout SeededGenerator) -> [Int] {
        var p = Array(0..<n)
        shuffle(&p, using: &rng)
        return p
    }

    /// Shuffles `array` in place.
    public static func shuffle<T>(_ array: inout [T], using rng: inout SeededGenerator) {
        guard array.count > 1 else { return }
        for i in stride(from: array.count - 1, to: 0, by: -1) {
            let j = rng.nextInt(below: i + 1)
            if i != j { array.swapAt(i, j) }
        }
    }
}
