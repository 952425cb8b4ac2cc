import QuorumEnsemble

/// The answer to one image of a `/v1/vote` request, as JSON.
struct VoteAnswer: Encodable, Sendable {
    /// One member's own answer (with `?members=1`).
    struct Member: Encodable, Sendable {
        let name: String
        let `class`: Int
        let className: String
        let probability: Float
    }

    /// The image's name: "body", or the part's file or field name in a batch.
    let name: String
    let `class`: Int
    let className: String
    let rule: String
    /// The vote's probability of the answer (the mean, or weighted mean, of the members').
    let probability: Float
    /// Per class, in class order.
    let probabilities: [Float]
    /// Members voting for each class, in class order.
    let votes: [Int]
    /// The share of members that voted for the answer.
    let agreement: Float
    let members: [Member]?

    /// The answer to image `i` of `vote`, named `name`; `members` adds each member's own answer.
    init(_ vote: BatchVote, image i: Int, name: String, classNames: [String], members: Bool) {
        let r = vote.result, c = r.classes, winner = Int(r.predictions[i])
        self.name = name
        self.class = winner
        className = classNames[winner]
        rule = r.rule.rawValue
        probabilities = Array(r.probabilities[(i * c)..<((i + 1) * c)])
        probability = probabilities[winner]
        votes = r.votes(of: i).map { Int($0) }
        agreement = r.agreement[i]
        self.members =
            members
            ? vote.members.map { m in
                let k = m.argmax(of: i)
                return Member(name: m.name, class: k, className: classNames[k], probability: m.probabilities[i * c + k])
            } : nil
    }
}

/// The body of a `/v1/vote` answer.
struct VoteResponse: Encodable, Sendable {
    let images: Int
    let answers: [VoteAnswer]
}

/// The body of `/v1/ensemble`: what the served ensemble is.
struct EnsembleDescription: Encodable, Sendable {
    struct Member: Encodable, Sendable {
        let name: String
        let file: String
        let seed: UInt64
        let augmentation: String
        let weight: Float
        let validationAccuracy: Double?
        let testAccuracy: Double?
    }

    let members: [Member]
    let inputShape: [Int]
    let classNames: [String]
    let voteRule: String
    let testTimeAugmentation: String
    let maxBatch: Int
    let maxImages: Int
    let maxBody: Int

    init(_ manifest: EnsembleManifest, settings: ServeSettings) {
        members = manifest.members.map {
            Member(
                name: $0.name, file: $0.file, seed: $0.seed, augmentation: $0.augmentation, weight: $0.weight,
                validationAccuracy: $0.validationAccuracy, testAccuracy: $0.testAccuracy)
        }
        inputShape = manifest.inputShape
        classNames = manifest.classNames
        voteRule = manifest.voteRule.rawValue
        testTimeAugmentation = manifest.testTimeAugmentation.rawValue
        maxBatch = settings.maxBatch
        maxImages = settings.maxImages
        maxBody = settings.maxBody
    }
}
