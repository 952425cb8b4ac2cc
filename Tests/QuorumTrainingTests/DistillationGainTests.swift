import Foundation
import QuorumCore
import QuorumData
import XCTest

@testable import QuorumTraining

/// A distilled student beats the same network trained on the labels alone, for the same epochs, where the
/// ensemble knows something the labels do not: a Fashion-MNIST subset with 40 % of its training labels
/// replaced at random. Members stopped after 3 epochs have learnt the clothes more than the noise; a network
/// trained 20 epochs on the labels learns the noise too. Taught by the members on each batch, the student
/// keeps the clothes. Seeds 1–5 gave gains of 3.7 to 7.5 points (checked when the margin was set); the test
/// holds seed 1 (7.5 points) to more than 2. QUORUM_DISTILL_SEED=N runs another seed.
final class DistillationGainTests: XCTestCase {
    func testAStudentOfTheEnsembleBeatsTheNetworkTrainedOnNoisyLabelsAlone() throws {
        let seed = UInt64(ProcessInfo.processInfo.environment["QUORUM_DISTILL_SEED"] ?? "1") ?? 1
        let gain = try studentGain(seed: seed)
        print("distillation on noisy labels, seed \(seed): ensemble, alone, student = \(gain)")
        XCTAssertGreaterThan(gain.student - gain.alone, 0.02, "seed \(seed): \(gain)")
    }

    /// Test accuracies of the ensemble, the network alone and its student, for one seed.
    private func studentGain(seed: UInt64) throws -> (ensemble: Double, alone: Double, student: Double) {
        var data = try TrainingFixture.data()
        var rng = SeededGenerator(seed: 99)
        let noisy = data.train.labels.map { label in rng.nextUniform() < 0.4 ? Int32(rng.nextInt(below: 10)) : label }
        data.train = Dataset(
            name: data.train.name, imageShape: data.train.imageShape, pixels: data.train.pixels, labels: noisy,
            classNames: data.train.classNames)
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("quorum-gain-\(UUID())")
        defer { try? FileManager.default.removeItem(at: scratch) }
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        func config(epochs: Int, seed: UInt64) -> TrainingConfig {
            var c = TrainingFixture.config(epochs: epochs, augment: "none", seed: seed)
            c.testTimeAugmentation = TestTimeAugmentation.none
            return c
        }
        var members: [String] = [], probabilities: [[Float]] = []
        for k in 0..<3 as Range<UInt64> {
            let outcome = try MemberTrainer(config: config(epochs: 3, seed: 100 * seed + k), data: data).train()
            let path = scratch.appendingPathComponent("member-\(k).safetensors").path
            try outcome.modelFile.write(to: URL(fileURLWithPath: path))
            members.append(path)
            probabilities.append(outcome.test.probabilities)
        }
        let labels = data.test.labels
        var ensemble = 0
        for r in 0..<labels.count {
            var best = 0, top: Float = -1
            for j in 0..<10 {
                let p = probabilities.reduce(Float(0)) { $0 + $1[r * 10 + j] }
                if p > top { (best, top) = (j, p) }
            }
            if best == Int(labels[r]) { ensemble += 1 }
        }
        let alone = try MemberTrainer(config: config(epochs: 20, seed: seed), data: data).train()
        var taught = config(epochs: 20, seed: seed)
        taught.distillation = DistillationSettings(teacher: scratch.path, members: members, temperature: 1, alpha: 0.5)
        let student = try MemberTrainer(config: taught, data: data).train()
        return (Double(ensemble) / Double(labels.count), alone.test.accuracy, student.test.accuracy)
    }
}
