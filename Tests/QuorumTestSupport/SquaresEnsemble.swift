import Foundation
import QuorumCore
import QuorumData
import QuorumEnsemble
import QuorumTraining

/// A small trained ensemble on `IDXFixture.writeSquares` data: members of `conv3x3(4) relu maxpool2 flatten
/// dense(10)` trained one epoch each (batch 32, 50 images held out), written as an ensemble folder with a soft
/// vote. The serving and vote tests share it, so both check the same members.
public struct SquaresEnsemble {
    /// The ensemble folder.
    public let folder: URL
    /// The test images' IDX file.
    public let testImages: URL
    /// What training each member gave, in seed order: its stored test probabilities among them.
    public let outcomes: [TrainingOutcome]
    /// The data the members trained on.
    public let data: PreparedData

    /// Writes `trainCount` training and `testCount` test images into `dir`, trains one member per seed and
    /// writes the ensemble into `dir/ensemble-NAME`, NAME the test-time augmentation.
    public init(
        in dir: URL, trainCount: Int = 400, testCount: Int, seeds: ClosedRange<UInt64>,
        testTimeAugmentation: TestTimeAugmentation = .none
    ) throws {
        let train = try IDXFixture.writeSquares(dir, "train", count: trainCount, seed: 1)
        let test = try IDXFixture.writeSquares(dir, "t10k", count: testCount, seed: 2)
        folder = dir.appendingPathComponent("ensemble-\(testTimeAugmentation.rawValue)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var config = TrainingConfig()
        config.data = "train=\(train.images):\(train.labels),test=\(test.images):\(test.labels)"
        config.model = "conv3x3(4) relu maxpool2 flatten dense(10)"
        config.epochs = 1
        config.batchSize = 32
        config.validationSize = 50
        config.testTimeAugmentation = testTimeAugmentation
        let data = try PreparedData.load(for: config)
        var members: [ManifestMember] = [], outcomes: [TrainingOutcome] = []
        for seed in seeds {
            config.seed = seed
            let outcome = try MemberTrainer(config: config, data: data).train()
            let file = "member-\(seed).safetensors"
            try outcome.modelFile.write(to: folder.appendingPathComponent(file))
            members.append(ManifestMember(name: "member-\(seed)", file: file, seed: seed, augmentation: "none"))
            outcomes.append(outcome)
        }
        try EnsembleManifest(
            members: members, voteRule: .soft, classNames: data.train.classNames, normalisation: data.normalization,
            inputShape: [8, 8, 1],
            provenance: Provenance(createdAt: "2026-01-01T00:00:00Z", command: "test", runID: "squares"),
            testTimeAugmentation: testTimeAugmentation
        ).write(to: folder)
        testImages = URL(fileURLWithPath: test.images)
        self.outcomes = outcomes
        self.data = data
    }
}
