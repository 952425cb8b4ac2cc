import Foundation
import QuorumCore
import QuorumData
import QuorumEnsemble
import QuorumTraining

/// An ensemble as a distillation teacher, in one of two ways (`Teaching`).
///
/// Fixed: its vote's probabilities on the training images its members were trained on, computed once with
/// its vote rule, weights and test-time augmentation, and cached in the ensemble folder as
/// `teacher/HASH.safetensors`, HASH naming the member files and those settings.
/// Consistent: its members score every batch as the student sees it (their weighted mean probability).
public struct DistillationTeacher {
    /// How the teacher's probabilities reach the student.
    public enum Teaching: String, CaseIterable, Sendable {
        /// The members score each augmented batch during training.
        case consistent
        /// A file of the vote's probabilities on the plain training images, made once (the default: it
        /// taught as well as consistent teaching in half the time, docs/ensemble-methods.md).
        case fixed
    }

    /// The ensemble's manifest.
    public let manifest: EnsembleManifest
    /// The ensemble folder.
    public let folder: URL
    /// The members' files and the data they were trained on.
    public let scores: MemberScores
    /// How the student is taught.
    public let teaching: Teaching
    /// The teacher file (`DistillationSettings.teacher`); for consistent teaching, the ensemble folder.
    public let url: URL
    /// Whether a teacher file was made now (false: read from the cache, or none is needed).
    public let computed: Bool

    /// Reads the ensemble in `dir` and, for fixed teaching, makes its teacher file unless the cache holds it.
    public init(ensemble dir: URL, teaching: Teaching = .fixed) throws {
        let manifest = try EnsembleManifest.load(from: dir)
        self.manifest = manifest
        self.teaching = teaching
        folder = dir.standardizedFileURL
        let scores = try MemberScores(modelFiles: manifest.members.indices.map { manifest.memberURL($0, in: dir) })
        self.scores = scores
        guard teaching == .fixed else {
            url = folder
            computed = false
            return
        }
        let settings = "\(manifest.voteRule.rawValue)|\(manifest.weights)|\(manifest.testTimeAugmentation.rawValue)"
        url = dir.appendingPathComponent("teacher/\(scores.fingerprint(settings: settings)).safetensors")
        let train = scores.data.train
        if let cached = try? SafeTensors.read(path: url.path),
            cached.metadata[DistillationSettings.imagesKey] == train.contentHash()
        {
            computed = false
            return
        }
        let classes = manifest.classNames.count
        let rows = try scores.score(train, testTimeAugmentation: manifest.testTimeAugmentation)
        let members = try zip(manifest.members, rows).map {
            try MemberPredictions(name: $0.name, probabilities: $1, classes: classes)
        }
        let vote = Voting.vote(members, rule: manifest.voteRule, weights: manifest.weights)
        try DistillationSettings.writeTeacher(vote.probabilities, classes: classes, of: train, to: url)
        computed = true
    }

    /// The settings a student trains with: the members' data and split (the first member's config) with
    /// `student`'s model and optimisation, as a student of this teacher.
    public func studentConfig(
        model: String, epochs: Int, temperature: Float, alpha: Float, adjust: (inout TrainingConfig) -> Void = { _ in }
    ) throws -> TrainingConfig {
        var config = scores.configs[0]
        // What made the members differ, or was theirs alone, does not carry over to the student.
        config.sample = nil
        config.snapshots = nil
        config.prune = nil
        config.initFrom = nil
        config.freeze = nil
        config.ema = nil
        config.initialization = nil
        adjust(&config)
        config.model = model
        config.epochs = epochs
        config.testTimeAugmentation = manifest.testTimeAugmentation == .none ? nil : manifest.testTimeAugmentation
        config.distillation = settings(temperature: temperature, alpha: alpha)
        try config.validate()
        return config
    }

    /// A student's distillation settings for this teacher: the teacher file (fixed teaching), or the members'
    /// files with a weighted vote's weights (consistent teaching; a hard vote's rule does not carry over).
    public func settings(temperature: Float, alpha: Float) -> DistillationSettings {
        switch teaching {
        case .fixed:
            return DistillationSettings(teacher: url.path, temperature: temperature, alpha: alpha)
        case .consistent:
            let members = manifest.members.indices.map { manifest.memberURL($0, in: folder).path }
            let weights = manifest.voteRule == .weighted ? manifest.weights : nil
            return DistillationSettings(
                teacher: folder.path, members: members, weights: weights, temperature: temperature, alpha: alpha)
        }
    }
}
