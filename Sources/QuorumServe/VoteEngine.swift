import Dispatch
import QuorumData
import QuorumEnsemble

/// The members' scores and the vote on one engine batch. Votes are per image, so any image's answer is
/// the same whichever other images shared its batch.
struct BatchVote: Sendable {
    /// Each member's probabilities, in manifest order.
    let members: [MemberPredictions]
    /// The vote under the ensemble's rule.
    let result: VoteResult
}

/// Runs the ensemble on one batch at a time, on its own thread, off the server's event loops and the
/// concurrency pool: a forward pass keeps its cores busy for milliseconds and must not stall either.
final class VoteEngine: @unchecked Sendable {
    // Safe to share: `predictor` is used only on `queue`, one batch at a time; the rest is immutable.
    let predictor: EnsemblePredictor
    let rule: VoteRule
    private let threads: Int
    private let queue = DispatchQueue(label: "quorum.serve.engine")

    /// An engine voting with `predictor` under the manifest's rule, on `threads` cores.
    init(predictor: EnsemblePredictor, threads: Int) throws {
        self.predictor = predictor
        rule = predictor.manifest.voteRule
        self.threads = threads
        if rule == .weighted {
            try Voting.validate(weights: predictor.manifest.weights, memberCount: predictor.manifest.members.count)
        }
    }

    /// The members' scores and the vote on `images`, as `quorum vote` computes them.
    func run(_ images: ImageArray) async -> BatchVote {
        await withCheckedContinuation { continuation in
            queue.async { [self] in
                let members = predictor.predict(images, threads: threads)
                let result = Voting.vote(members, rule: rule, weights: predictor.manifest.weights)
                continuation.resume(returning: BatchVote(members: members, result: result))
            }
        }
    }
}
