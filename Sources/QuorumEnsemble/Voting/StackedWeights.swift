import QuorumCore

/// Stacking: per-member weights of the soft vote learned on validation data by a logistic-regression
/// combiner. The combiner scores class j of a sample as softmax over classes of Σₖ wₖ·pₖⱼ (pₖ: member k's
/// probabilities, wₖ ≥ 0) and is fitted by minimising the validation log-loss with projected Newton steps
/// (the loss is convex in w). Its answers are the weighted soft vote's with the same weights, so `quorum vote`
/// reproduces them from `ensemble.json`.
///
/// Only validation predictions may be given: weights fitted on the test set would report a test accuracy
/// they were tuned to.
public enum StackedWeights {
    /// The fitted weights, one per member, scaled to sum to the member count (equal weights are all 1).
    /// `iterations` bounds the Newton steps; `ridge` keeps each step's system well-posed.
    public static func fit(
        _ members: [MemberPredictions], labels: [Int32], iterations: Int = 50, ridge: Double = 1e-6
    ) throws -> [Float] {
        try Voting.validate(members, labels: labels)
        let m = members.count
        var w = [Double](repeating: 1, count: m)
        var loss = combinerLoss(members, labels: labels, weights: w).loss
        for _ in 0..<iterations {
            let (_, gradient, hessian) = combinerLoss(members, labels: labels, weights: w, derivatives: true)
            var system = hessian
            for k in 0..<m { system[k * m + k] += ridge }
            guard let step = solve(system, gradient, size: m) else { break }
            // Backtracking on the projected step: the loss must fall.
            var scale = 1.0, improved = false
            while scale > 1e-6 {
                let trial = zip(w, step).map { max(0, $0 - scale * $1) }
                let trialLoss = combinerLoss(members, labels: labels, weights: trial).loss
                if trialLoss < loss - 1e-12 {
                    w = trial
                    loss = trialLoss
                    improved = true
                    break
                }
                scale /= 2
            }
            if !improved { break }
        }
        let total = w.reduce(0, +)
        guard total > 0 else { return [Float](repeating: 1, count: m) }
        return w.map { Float($0 / total * Double(m)) }
    }

    /// Mean log-loss on `labels` of the weighted soft vote's probabilities (weights normalised to sum to one):
    /// what `quorum vote` reports as the ensemble's probabilities.
    public static func voteLogLoss(_ members: [MemberPredictions], labels: [Int32], weights: [Float]) -> Double {
        let n = members[0].count, c = members[0].classes
        let total = Double(weights.reduce(0, +))
        var loss = 0.0
        for s in 0..<n {
            let label = Int(labels[s])
            var p = 0.0
            for (k, member) in members.enumerated() {
                p += Double(weights[k]) / total * Double(member.probabilities[s * c + label])
            }
            loss -= log(max(p, 1e-12))
        }
        return loss / Double(max(n, 1))
    }

    /// The combiner's mean log-loss at `weights`, with its gradient and Hessian (row-major m × m) when asked.
    static func combinerLoss(
        _ members: [MemberPredictions], labels: [Int32], weights: [Double], derivatives: Bool = false
    ) -> (loss: Double, gradient: [Double], hessian: [Double]) {
        let n = members[0].count, c = members[0].classes, m = members.count
        var loss = 0.0
        var gradient = [Double](repeating: 0, count: derivatives ? m : 0)
        var hessian = [Double](repeating: 0, count: derivatives ? m * m : 0)
        var z = [Double](repeating: 0, count: c), q = [Double](repeating: 0, count: c)
        var mean = [Double](repeating: 0, count: m)
        for s in 0..<n {
            for j in 0..<c {
                var sum = 0.0
                for k in 0..<m { sum += weights[k] * Double(members[k].probabilities[s * c + j]) }
                z[j] = sum
            }
            let top = z.max() ?? 0
            var norm = 0.0
            for j in 0..<c {
                q[j] = exp(z[j] - top)
                norm += q[j]
            }
            for j in 0..<c { q[j] /= norm }
            let label = Int(labels[s])
            loss -= log(max(q[label], 1e-300))
            guard derivatives else { continue }
            // d loss / d wₖ = Σⱼ (qⱼ − yⱼ) pₖⱼ; the Hessian is the covariance of pₖ under q.
            for k in 0..<m {
                var e = 0.0
                for j in 0..<c { e += q[j] * Double(members[k].probabilities[s * c + j]) }
                mean[k] = e
                gradient[k] += e - Double(members[k].probabilities[s * c + label])
            }
            for k in 0..<m {
                for l in k..<m {
                    var e = 0.0
                    for j in 0..<c {
                        e +=
                            q[j] * Double(members[k].probabilities[s * c + j])
                            * Double(members[l].probabilities[s * c + j])
                    }
                    hessian[k * m + l] += e - mean[k] * mean[l]
                }
            }
        }
        let scale = 1 / Double(max(n, 1))
        if derivatives {
            for k in 0..<m {
                gradient[k] *= scale
                for l in k..<m {
                    hessian[k * m + l] *= scale
                    hessian[l * m + k] = hessian[k * m + l]
                }
            }
        }
        return (loss * scale, gradient, hessian)
    }

    /// Solves `a x = b` (a: row-major size × size) by Gaussian elimination with partial pivoting; nil when
    /// the system is singular.
    static func solve(_ a: [Double], _ b: [Double], size n: Int) -> [Double]? {
        var a = a, b = b
        for col in 0..<n {
            var pivot = col
            for row in (col + 1)..<max(col + 1, n) where abs(a[row * n + col]) > abs(a[pivot * n + col]) {
                pivot = row
            }
            guard abs(a[pivot * n + col]) > 1e-15 else { return nil }
            if pivot != col {
                for j in 0..<n { a.swapAt(col * n + j, pivot * n + j) }
                b.swapAt(col, pivot)
            }
            for row in (col + 1)..<max(col + 1, n) {
                let f = a[row * n + col] / a[col * n + col]
                for j in col..<n { a[row * n + j] -= f * a[col * n + j] }
                b[row] -= f * b[col]
            }
        }
        var x = [Double](repeating: 0, count: n)
        for row in stride(from: n - 1, through: 0, by: -1) {
            var sum = b[row]
            for j in (row + 1)..<max(row + 1, n) { sum -= a[row * n + j] * x[j] }
            x[row] = sum / a[row * n + row]
        }
        return x
    }
}

#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif
