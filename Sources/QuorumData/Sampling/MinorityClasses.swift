/// Which classes count as minorities for the augmentation boost: those whose count is below the median
/// class count (for an even number of classes, the mean of the two middle counts).
public enum MinorityClasses {
    /// One flag per class, true for classes below the median count.
    public static func mask(classCounts counts: [Int]) -> [Bool] {
        guard !counts.isEmpty else { return [] }
        let sorted = counts.sorted()
        let mid = sorted.count / 2
        let median = sorted.count % 2 == 1 ? Double(sorted[mid]) : Double(sorted[mid - 1] + sorted[mid]) / 2
        return counts.map { Double($0) < median }
    }
}
