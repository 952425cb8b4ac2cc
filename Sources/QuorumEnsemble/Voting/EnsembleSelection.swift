import QuorumCore

/// Ensemble selection (Caruana et al. 2004): members picked greedily, with replacement, by the validation
/// accuracy of the soft vote of the members picked so far. A member picked twice counts twice, so the
/// result is a weight per member: how often it was picked.
///
/// Only validation predictions may be given: choosing members on the test set would report a test
/// accuracy the selection was tuned to.
public enum EnsembleSelection {
    /// How many times each member is picked in `size` greedy steps. Each step adds the member whose addition
    /// gives the highest accuracy on `labels`; ties go to the member whose addition gives the lower log-loss,
    /// then to the lower index. Throws when the members' shapes or the labels do not fit.
    public static func greedy(_ members: [MemberPredictions], labels: [Int32], size: Int) throws -> [Int] {
        try Voting.validate(members, labels: labels)
        guard size >= 1 else { throw EnsembleError.badSetting(name: "size", expected: "at least 1", found: "\(size)") }
        let n = members[0].count, c = members[0].classes
        var sums = [Double](repeating: 0, count: n * c)
        var counts = [Int](repeating: 0, count: members.count)
        for step in 1...size {
            var best: (index: Int, correct: Int, loss: Double)?
            for (k, member) in members.enumerated() {
                var correct = 0
                var loss = 0.0
                member.probabilities.withUnsafeBufferPointer { p in
                    var row = [Double](repeating: 0, count: c)
                    for s in 0..<n {
                        for j in 0..<c { row[j] = sums[s * c + j] + Double(p[s * c + j]) }
                        if argmax(row) == Int(labels[s]) { correct += 1 }
                        loss -= log(max(row[Int(labels[s])] / Double(step), 1e-12))
                    }
                }
                if let b = best, correct < b.correct || (correct == b.correct && loss >= b.loss) { continue }
                best = (k, correct, loss)
            }
            guard let pick = best?.index else { break }
            counts[pick] += 1
            members[pick].probabilities.withUnsafeBufferPointer { p in
                for i in 0..<n * c { sums[i] += Double(p[i]) }
            }
        }
        return counts
    }

    /// The first index of the largest value.
    private static func argmax(_ row: [Double]) -> Int {
        var best = 0
        for j in 1..<row.count where row[j] > row[best] { best = j }
        return best
    }
}

#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif
