/// The inner loops shared by `Voting` and the ensemble-size curve, so both break ties identically
/// (the single-row winner is QuorumCore's `argmax`).
///
/// Scores are compared as sums over members rather than means: dividing by the member count can round
/// two different sums to the same mean, and the curve must reproduce the full vote exactly.
public enum VoteKernel {
    /// The hard-vote winner: most votes; among classes tied on votes, the highest probability sum;
    /// then the lowest index. `tied` is true when more than one class had the most votes.
    @inline(__always)
    public static func hardWinner(votes: UnsafePointer<Int32>, sums: UnsafePointer<Float>, _ n: Int) -> (
        index: Int, tied: Bool
    ) {
        var best = 0
        for c in 1..<max(n, 1) where votes[c] > votes[best] || (votes[c] == votes[best] && sums[c] > sums[best]) {
            best = c
        }
        var tied = false
        for c in 0..<n where c != best && votes[c] == votes[best] { tied = true }
        return (best, tied)
    }
}
