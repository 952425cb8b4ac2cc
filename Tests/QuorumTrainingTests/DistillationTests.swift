import QuorumCore
import QuorumData
import XCTest

@testable import QuorumTraining

/// Knowledge distillation: the teacher file's checks and the mixed loss's gradient.
final class DistillationTests: XCTestCase {
    func testATeacherFileForOtherImagesIsRefused() throws {
        let data = try TrainingFixture.data()
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("quorum-teacher-\(UUID())")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let url = scratch.appendingPathComponent("t.safetensors")
        let other = data.train.prefix(data.train.count - 1)
        try DistillationSettings.writeTeacher(
            [Float](repeating: 0.1, count: other.count * 10), classes: 10, of: other, to: url)
        var config = TrainingFixture.config()
        config.distillation = DistillationSettings(teacher: url.path)
        XCTAssertThrowsError(try MemberTrainer(config: config, data: data).train()) {
            XCTAssertTrue("\($0)".contains("distillation.teacher") && "\($0)".contains("[2999, 10]"), "\($0)")
        }
        config.distillation = DistillationSettings(teacher: url.path, temperature: 0)
        XCTAssertThrowsError(try config.validate()) { XCTAssertTrue("\($0)".contains("temperature"), "\($0)") }
    }
}

extension DistillationTests {
    /// The mixed loss's gradient against central finite differences of the mixed loss itself.
    func testTheMixedGradientMatchesFiniteDifferences() {
        let n = 3, c = 4
        var rng = SeededGenerator(seed: 5)
        let values = (0..<(n * c)).map { _ in rng.nextUniform() * 4 - 2 }
        var targets: [Float] = []
        for _ in 0..<n {
            let row = (0..<c).map { _ in rng.nextUniform() + 0.05 }
            targets += row.map { $0 / row.reduce(0, +) }
        }
        let labels: [Int32] = [0, 3, 1]
        let settings = DistillationSettings(teacher: "t", temperature: 3, alpha: 0.6)
        let loss = SoftmaxCrossEntropy(classes: c)
        func mixed(_ v: [Float]) -> (Float, [Float]) {
            let logits = Tensor(shape: [n, c])
            for i in 0..<(n * c) { logits.data[i] = v[i] }
            let hard = labels.withUnsafeBufferPointer { loss.forward(logits: logits, labels: $0) }
            let value = settings.blend(
                logits: logits, hardLoss: hard, gradient: loss.gradient, targets: targets, classes: c)
            return (value, (0..<(n * c)).map { loss.gradient.data[$0] })
        }
        let (_, gradient) = mixed(values)
        for i in 0..<(n * c) {
            var up = values, down = values
            up[i] += 1e-2
            down[i] -= 1e-2
            let numeric = (mixed(up).0 - mixed(down).0) / 2e-2
            XCTAssertEqual(gradient[i], numeric, accuracy: 2e-3, "logit \(i)")
        }
    }
}

extension DistillationTests {
    /// A teacher that gives each training image its own one-hot label, at T = 1 and alpha = 1, is the plain
    /// cross-entropy: so the student trains as the network does on labels alone, which holds only if every
    /// batch gets its own images' teacher rows (through shuffling, augmentation and the partial last batch).
    func testAOneHotTeacherTrainsAsTheLabelsDo() throws {
        let data = try TrainingFixture.data()
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("quorum-onehot-\(UUID())")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let url = scratch.appendingPathComponent("labels.safetensors")
        var oneHot = [Float](repeating: 0, count: data.train.count * 10)
        for (i, label) in data.train.labels.enumerated() { oneHot[i * 10 + Int(label)] = 1 }
        try DistillationSettings.writeTeacher(oneHot, classes: 10, of: data.train, to: url)
        var config = TrainingFixture.config(epochs: 2)
        let alone = try MemberTrainer(config: config, data: data).train()
        config.distillation = DistillationSettings(teacher: url.path, temperature: 1, alpha: 1)
        let taught = try MemberTrainer(config: config, data: data).train()
        let a = alone.model.parameters.flatMap(\.value.array), b = taught.model.parameters.flatMap(\.value.array)
        let worst = zip(a, b).map { abs($0 - $1) }.max() ?? .infinity
        XCTAssertLessThan(worst, 1e-3, "the one-hot student's weights drift from the labels' by \(worst)")
        XCTAssertEqual(taught.test.accuracy, alone.test.accuracy, accuracy: 0.005)
        // The same teacher with its rows shifted by one image teaches labels that are not the images' own.
        var shifted = Array(oneHot[10...])
        shifted += oneHot[..<10]
        try DistillationSettings.writeTeacher(shifted, classes: 10, of: data.train, to: url)
        let misled = try MemberTrainer(config: config, data: data).train()
        XCTAssertLessThan(misled.test.accuracy, alone.test.accuracy - 0.3, "a misaligned teacher must show")
    }
}
