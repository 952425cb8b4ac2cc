import Foundation
import QuorumCore
import QuorumData
import QuorumTestSupport
import QuorumTraining
import XCTest
@testable import QuorumEnsemble

/// `quorum vote` answers with the probabilities the run stored: the members a small run trained, loaded
/// from their files by `EnsemblePredictor` and fed the test file through `InputLoader`, give every test
/// probability bit for bit as training's own evaluation did (which is what a worker sends and the run keeps).
final class VoteReproducesTrainingTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("quorum-vote-bits-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { if let dir { try? FileManager.default.removeItem(at: dir) } }

    private func assertVoteReproducesTraining(testTimeAugmentation: TestTimeAugmentation) throws {
        let train = try IDXFixture.writeSquares(dir, "train", count: 400, seed: 1)
        let test = try IDXFixture.writeSquares(dir, "t10k", count: 300, seed: 2)  // two batches, the second partial
        let ensemble = dir.appendingPathComponent("ensemble-\(testTimeAugmentation.rawValue)")
        try FileManager.default.createDirectory(at: ensemble, withIntermediateDirectories: true)
        var stored: [[Float]] = [], members: [ManifestMember] = []
        var prepared: PreparedData?
        for seed in 1...2 as ClosedRange<UInt64> {
            var config = TrainingConfig()
            config.data = "train=\(train.images):\(train.labels),test=\(test.images):\(test.labels)"
            config.model = "conv3x3(4) relu maxpool2 flatten dense(10)"
            config.epochs = 1
            config.batchSize = 32
            config.validationSize = 50
            config.seed = seed
            config.testTimeAugmentation = testTimeAugmentation
            let data = try PreparedData.load(for: config)
            XCTAssertNotEqual(data.normalization, .fashionMNIST, "a fitted normalisation, where 1/std matters")
            let outcome = try MemberTrainer(config: config, data: data).train()
            let file = "member-\(seed).safetensors"
            try outcome.modelFile.write(to: ensemble.appendingPathComponent(file))
            stored.append(outcome.test.probabilities)
            members.append(ManifestMember(name: "member-\(seed)", file: file, seed: seed, augmentation: "none"))
            prepared = data
        }
        let data = try XCTUnwrap(prepared)
        let manifest = EnsembleManifest(
            members: members, voteRule: .soft, classNames: data.train.classNames, normalisation: data.normalization,
            inputShape: [8, 8, 1],
            provenance: Provenance(createdAt: "2026-01-01T00:00:00Z", command: "test", runID: "bits"),
            testTimeAugmentation: testTimeAugmentation)
        try manifest.write(to: ensemble)

        let predictor = try EnsemblePredictor(directory: ensemble)
        let batch = try InputLoader(inputShape: [8, 8, 1], classes: 10).load(path: test.images)
        XCTAssertEqual(batch.labels, data.test.labels)
        for threads in [1, 2] {
            let voted = predictor.predict(batch.images, threads: threads)
            for (k, member) in voted.enumerated() {
                XCTAssertEqual(member.probabilities.count, stored[k].count)
                let differing = zip(member.probabilities, stored[k]).filter { $0.bitPattern != $1.bitPattern }.count
                XCTAssertEqual(
                    differing, 0,
                    "\(member.name), \(threads) thread(s), views \(testTimeAugmentation): "
                        + "\(differing) of \(stored[k].count) probabilities differ from the stored ones")
            }
        }
    }

    func testVoteReproducesStoredTestProbabilitiesBitForBit() throws {
        try assertVoteReproducesTraining(testTimeAugmentation: .none)
    }

    func testVoteWithTestTimeViewsReproducesStoredTestProbabilitiesBitForBit() throws {
        try assertVoteReproducesTraining(testTimeAugmentation: .flipShift)
    }
}
