import QuorumCore

/// Evaluation of members and votes against labels. Accuracies are fractions in 0...1; gains are in
/// percentage points. Inputs are assumed consistent (see `Voting.validate`).
public enum EnsembleMetrics {
    /// The share of samples whose prediction equals the label (0 when there are no samples).
    public static func accuracy(_ predictions: [Int32], labels: [Int32]) -> Double {
        precondition(predictions.count == labels.count, "\(predictions.count) predictions for \(labels.count) labels")
        guard !labels.isEmpty else { return 0 }
        var right = 0
        for i in 0..<labels.count where predictions[i] == labels[i] { right += 1 }
        return Double(right) / Double(labels.count)
    }

    /// Accuracy within each true class; nil for a class with no samples.
    public static func perClassAccuracy(_ predictions: [Int32], labels: [Int32], classes: Int) -> [Double?] {
        let matrix = confusionMatrix(predictions, labels: labels, classes: classes)
        return (0..<classes).map { c in
            let total = matrix[c].reduce(0, +)
            return total == 0 ? nil : Double(matrix[c][c]) / Double(total)
        }
    }

    /// Counts indexed `[true class][predicted class]`.
    public static func confusionMatrix(_ predictions: [Int32], labels: [Int32], classes: Int) -> [[Int]] {
        precondition(predictions.count == labels.count, "\(predictions.count) predictions for \(labels.count) labels")
        var matrix = [[Int]](repeating: [Int](repeating: 0, count: classes), count: classes)
        for i in 0..<labels.count { matrix[Int(labels[i])][Int(predictions[i])] += 1 }
        return matrix
    }

    /// A confusion matrix as text lines: one row per true class (index and name), one column per predicted one.
    public static func confusionTable(_ matrix: [[Int]], classNames: [String]) -> [String] {
        var m = TextTable([("", .left)] + (0..<matrix.count).map { ("\($0)", .right) })
        for (r, row) in matrix.enumerated() {
            m.add(["\(r) \(r < classNames.count ? classNames[r] : "")"] + row.map(String.init))
        }
        return m.render()
    }

    /// The share of samples that at least one member answers correctly: the ceiling of any vote.
    public static func oracleAccuracy(_ members: [MemberPredictions], labels: [Int32]) -> Double {
        guard !labels.isEmpty else { return 0 }
        var covered = [Bool](repeating: false, count: labels.count)
        for member in members {
            let answers = member.argmax
            for i in 0..<labels.count where answers[i] == labels[i] { covered[i] = true }
        }
        return Double(covered.filter { $0 }.count) / Double(labels.count)
    }

    /// `[a][b]` = share of samples on which members a and b give different top answers (0 on the diagonal).
    public static func disagreementMatrix(_ members: [MemberPredictions]) -> [[Double]] {
        let answers = members.map(\.argmax)
        let m = members.count
        var matrix = [[Double]](repeating: [Double](repeating: 0, count: m), count: m)
        for a in 0..<m {
            for b in (a + 1)..<max(m, a + 1) {
                let n = answers[a].count
                var differ = 0
                for i in 0..<n where answers[a][i] != answers[b][i] { differ += 1 }
                let share = n == 0 ? 0 : Double(differ) / Double(n)
                matrix[a][b] = share
                matrix[b][a] = share
            }
        }
        return matrix
    }

    /// The mean of a disagreement matrix over distinct pairs (0 for fewer than two members).
    public static func meanDisagreement(_ matrix: [[Double]]) -> Double {
        let m = matrix.count
        guard m > 1 else { return 0 }
        var total = 0.0
        for a in 0..<m { for b in (a + 1)..<m { total += matrix[a][b] } }
        return total / Double(m * (m - 1) / 2)
    }

    /// Each member's accuracy against `labels`.
    public static func memberAccuracies(_ members: [MemberPredictions], labels: [Int32]) -> [Double] {
        members.map { accuracy($0.argmax, labels: labels) }
    }

    /// How far `accuracy` lies above `baseline`, in percentage points (both given as fractions).
    public static func gain(_ accuracy: Double, over baseline: Double) -> Double { (accuracy - baseline) * 100 }

    /// Mean hard- and soft-vote accuracy of sub-ensembles of each size k = 1...M.
    ///
    /// When C(M, k) ≤ `exactLimit` the mean is exact, over every subset of size k. Otherwise it is taken
    /// over the first k members of `orders` random member orders, drawn from `seed`, the same orders
    /// for every k so that the curve is smooth.
    public static func ensembleSizeCurve(
        _ members: [MemberPredictions], labels: [Int32], orders: Int = 10,
        seed: UInt64 = 0, exactLimit: Int = 50
    ) -> [EnsembleSizePoint] {
        precondition(orders > 0, "need at least one random order")
        let m = members.count
        guard m > 0 else { return [] }
        var generator = SeededGenerator(seed: seed, purpose: "ensemble-size")
        let permutations: [[Int]] = (0..<orders).map { _ in Array(0..<m).shuffled(using: &generator) }
        let voter = SubsetVoter(members, labels: labels)
        return (1...m).map { k in
            let subsets: [[Int]]
            let exact = binomial(m, k, cap: exactLimit) <= exactLimit
            if exact { subsets = combinations(m, k) } else { subsets = permutations.map { Array($0.prefix(k)) } }
            let scores = subsets.map { voter.accuracies(of: $0) }
            let hard = scores.map(\.0), soft = scores.map(\.1)
            return EnsembleSizePoint(
                size: k, hardAccuracy: hard.reduce(0, +) / Double(subsets.count),
                softAccuracy: soft.reduce(0, +) / Double(subsets.count), subsets: subsets.count, exact: exact,
                hardRange: hard.min()!...hard.max()!, softRange: soft.min()!...soft.max()!)
        }
    }

    /// C(n, k), or `cap + 1` as soon as it exceeds `cap` (so large M never overflows).
    public static func binomial(_ n: Int, _ k: Int, cap: Int) -> Int {
        let k = min(k, n - k)
        guard k >= 0 else { return 0 }
        var result = 1
        for i in 0..<k {
            result = result * (n - i) / (i + 1)  // exact: a product of i+1 consecutive integers divides
            if result > cap { return cap + 1 }
        }
        return result
    }

    /// Every k-subset of 0..<n, in lexicographic order.
    public static func combinations(_ n: Int, _ k: Int) -> [[Int]] {
        var result: [[Int]] = []
        var current = Array(0..<k)
        guard k <= n else { return [] }
        while true {
            result.append(current)
            var i = k - 1
            while i >= 0 && current[i] == n - k + i { i -= 1 }
            if i < 0 { return result }
            current[i] += 1
            for j in (i + 1)..<k { current[j] = current[j - 1] + 1 }
        }
    }
}
