import QuorumCore

/// Scores many member subsets against the same labels, reusing one set of buffers for every subset.
///
/// The ensemble-size curve votes hundreds of subsets over the whole test set, so the members' top
/// answers are computed once and the per-subset sums live in buffers allocated once.
final class SubsetVoter {
    private let members: [MemberPredictions]
    private let labels: [Int32]
    private let answers: [[Int32]]
    private let sums: UnsafeMutablePointer<Float>
    private let votes: UnsafeMutablePointer<Int32>
    private let n: Int
    private let c: Int

    init(_ members: [MemberPredictions], labels: [Int32]) {
        self.members = members
        self.labels = labels
        answers = members.map(\.argmax)
        n = members.first?.count ?? 0
        c = members.first?.classes ?? 1
        sums = .allocate(capacity: max(n * c, 1))
        votes = .allocate(capacity: max(n * c, 1))
    }

    deinit {
        sums.deallocate()
        votes.deallocate()
    }

    /// Hard- and soft-vote accuracy of the members at `subset`, with `Voting`'s tie rules.
    func accuracies(of subset: [Int]) -> (hard: Double, soft: Double) {
        guard n > 0 else { return (0, 0) }
        sums.update(repeating: 0, count: n * c)
        votes.update(repeating: 0, count: n * c)
        for k in subset {
            members[k].probabilities.withUnsafeBufferPointer { p in
                for i in 0..<n * c { sums[i] += p[i] }
            }
            answers[k].withUnsafeBufferPointer { a in
                for s in 0..<n { votes[s * c + Int(a[s])] += 1 }
            }
        }
        var hardRight = 0, softRight = 0
        for s in 0..<n {
            let label = Int(labels[s])
            if VoteKernel.hardWinner(votes: votes + s * c, sums: sums + s * c, c).index == label { hardRight += 1 }
            if argmax(sums + s * c, c).index == label { softRight += 1 }
        }
        return (Double(hardRight) / Double(n), Double(softRight) / Double(n))
    }
}
