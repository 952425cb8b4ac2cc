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
        // 300 test images: two batches, the second partial.
        let fixture = try SquaresEnsemble(
            in: dir, testCount: 300, seeds: 1...2, testTimeAugmentation: testTimeAugmentation)
        XCTAssertNotEqual(fixture.data.normalization, .fashionMNIST, "a fitted normalisation, where 1/std matters")
        let stored = fixture.outcomes.map(\.test.probabilities)
        let predictor = try EnsemblePredictor(directory: fixture.folder)
        let batch = try InputLoader(inputShape: [8, 8, 1], classes: 10).load(path: fixture.testImages.path)
        XCTAssertEqual(batch.labels, fixture.data.test.labels)
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
