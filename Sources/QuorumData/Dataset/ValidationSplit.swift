import QuorumCore

/// The validation split's size when none is given, and the stratified split image folders use.
///
/// The default is 10 % of the training set, at most 5,000 (so Fashion-MNIST's 60,000 keep the 5,000 they
/// always had) and at least one image per class that has two or more. IDX, CIFAR-10 and CSV data keep the
/// seeded random split they always had, so existing models keep their bytes; image folders, often small and
/// uneven, are split per class.
public enum ValidationSplit {
    /// The largest default validation split.
    public static let defaultCap = 5000

    /// The default validation size for a training set with these per-class counts.
    public static func defaultSize(classCounts: [Int]) -> Int {
        let total = classCounts.reduce(0, +)
        let eligible = classCounts.filter { $0 >= 2 }.count
        let present = classCounts.filter { $0 > 0 }.count
        return max(0, min(defaultCap, max(total / 10, eligible), total - present))
    }

    /// Which images (by index) to hold out: `size` of them, each class giving its share (largest remainders
    /// first), every class with two or more images giving at least one when `size` allows and keeping at
    /// least one for training; within a class the images are drawn by `seed`.
    public static func stratified(labels: [Int32], size: Int, seed: UInt64) -> [Bool] {
        let classes = (labels.max().map { Int($0) + 1 }) ?? 0
        var members = [[Int]](repeating: [], count: classes)
        for (i, label) in labels.enumerated() { members[Int(label)].append(i) }
        let quotas = quotas(counts: members.map(\.count), size: size)
        var rng = SeededGenerator(seed: seed, purpose: "split")
        var held = [Bool](repeating: false, count: labels.count)
        for (c, list) in members.enumerated() {
            let order = Shuffle.permutation(list.count, using: &rng)
            for k in order.prefix(quotas[c]) { held[list[k]] = true }
        }
        return held
    }

    /// Per-class quotas summing to `size` (or to all that can be held out with one image left per class).
    static func quotas(counts: [Int], size: Int) -> [Int] {
        let total = counts.reduce(0, +)
        guard total > 0 else { return counts.map { _ in 0 } }
        let room = counts.map { max(0, $0 - 1) }
        let exact = counts.map { Double(size) * Double($0) / Double(total) }
        var quota = zip(exact, room).map { min(Int($0), $1) }
        var sum = quota.reduce(0, +)
        // One image per class that can spare one comes first (as far as `size` goes); the largest quotas give way.
        var covered = quota.filter { $0 > 0 }.count
        for c in counts.indices where quota[c] == 0 && room[c] > 0 && covered < size {
            quota[c] = 1
            sum += 1
            covered += 1
        }
        while sum < size {
            let open = counts.indices.filter { quota[$0] < room[$0] }
            guard let c = open.max(by: { exact[$0] - Double(quota[$0]) < exact[$1] - Double(quota[$1]) }) else { break }
            quota[c] += 1
            sum += 1
        }
        while sum > size, let c = counts.indices.filter({ quota[$0] > 1 }).max(by: { quota[$0] < quota[$1] }) {
            quota[c] -= 1
            sum -= 1
        }
        return quota
    }

    /// Warnings about classes the split leaves without a validation image or without a training image.
    public static func warnings(_ splits: DataSplits) -> [String] {
        let train = splits.train.classCounts(), validation = splits.validation.classCounts()
        let names = splits.train.classNames
        var notes: [String] = []
        for c in 0..<max(train.count, validation.count) {
            let t = c < train.count ? train[c] : 0, v = c < validation.count ? validation[c] : 0
            let name = c < names.count ? names[c] : String(c)
            if t == 0 && v > 0 {
                notes.append("class '\(name)' has no training image left after the validation split")
            } else if v == 0 && t == 1 {
                notes.append(
                    "class '\(name)' has 1 training image: too few to hold one out, so validation does not cover it")
            } else if v == 0 && t > 0 && splits.validation.count > 0 {
                notes.append(
                    "class '\(name)' has no validation image: the split of \(splits.validation.count) images "
                        + "is smaller than the number of classes")
            }
        }
        return notes
    }
}
