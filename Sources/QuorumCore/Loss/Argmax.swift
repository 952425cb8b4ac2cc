/// The index of the largest of the `count` values at `row` (the lowest index on ties), and whether another
/// index holds the same value. A NaN never wins against a number after it. Training accuracy, evaluation
/// and every vote rule pick classes with it, so they agree on ties.
@inlinable @inline(__always)
public func argmax(_ row: UnsafePointer<Float>, _ count: Int) -> (index: Int, tied: Bool) {
    var best = 0
    var bestValue = row[0]
    var tied = false
    for c in 1..<max(count, 1) where row[c] >= bestValue {
        if row[c] > bestValue { best = c; bestValue = row[c]; tied = false } else { tied = true }
    }
    return (best, tied)
}
