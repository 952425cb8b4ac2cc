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

extension DistillationTests {
    /// Consistent teaching scores the batch the student is given: its targets are the members' weighted mean
    /// probability on exactly those (augmented) images, softened at T, and members that do not fit the data are
    /// refused by index.
    func testConsistentTargetsAreTheMembersWeightedMeanOnTheBatchAsGiven() throws {
        let data = try TrainingFixture.data()
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("quorum-consistent-\(UUID())")
        defer { try? FileManager.default.removeItem(at: scratch) }
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        var paths: [String] = []
        for seed in 1...2 as ClosedRange<UInt64> {
            var config = TrainingFixture.config(seed: seed)
            config.trainLimit = 600
            let outcome = try MemberTrainer(config: config, data: data).train()
            let path = scratch.appendingPathComponent("m\(seed).safetensors").path
            try outcome.modelFile.write(to: URL(fileURLWithPath: path))
            paths.append(path)
        }
        let settings = DistillationSettings(
            teacher: scratch.path, members: paths, weights: [1, 3], temperature: 2, alpha: 0.5)
        let targets = try StudentTargets(settings: settings, data: data, classes: 10)
        // A batch of 5 images mirrored, as the student might see them.
        let n = 5, size = data.train.imageSize, width = data.train.width
        let batch = Tensor(shape: [n] + data.train.imageShape)
        let mean = data.normalization.mean[0], std = data.normalization.std[0]
        for i in 0..<n {
            for p in 0..<size {
                let (y, x) = (p / width, p % width)
                let mirrored = data.train.pixels[i * size + y * width + (width - 1 - x)]
                batch.data[i * size + p] = (Float(mirrored) / 255 - mean) / std
            }
        }
        var got: [Float] = []
        targets.fill(&got, images: batch, indices: Array(0..<n)[...])
        let models = try paths.map { try ModelFile.load(path: $0).model }
        let probabilities = models.map { model -> [Float] in
            let p = Tensor(shape: [0])
            softmax(model.forward(batch, training: false), into: p)
            return p.array
        }
        for r in 0..<n {
            let mixed = (0..<10).map { j in (probabilities[0][r * 10 + j] + 3 * probabilities[1][r * 10 + j]) / 4 }
            let soft = mixed.map { $0.squareRoot() }
            let sum = soft.reduce(0, +)
            for j in 0..<10 { XCTAssertEqual(got[r * 10 + j], soft[j] / sum, accuracy: 1e-5, "row \(r), class \(j)") }
        }
        // The same members with the images left plain teach other targets.
        var plain: [Float] = []
        let unflipped = Tensor(shape: [n] + data.train.imageShape)
        for k in 0..<(n * size) { unflipped.data[k] = (Float(data.train.pixels[k]) / 255 - mean) / std }
        targets.fill(&plain, images: unflipped, indices: Array(0..<n)[...])
        XCTAssertGreaterThan(zip(plain, got).map { abs($0 - $1) }.max() ?? 0, 1e-3)

        let three = scratch.appendingPathComponent("three.safetensors").path
        let spec = try ModelSpec(parsing: "flatten dense(3)", inputShape: data.train.imageShape, classes: 3)
        try ModelFile.save(
            try Sequential(spec: spec, seed: 1),
            metadata: ModelMetadata(
                spec: spec, normalizationMean: data.normalization.mean, normalizationStd: data.normalization.std,
                classNames: ["a", "b", "c"]), to: three)
        var mismatched = settings
        mismatched.members = [paths[0], three]
        XCTAssertThrowsError(try StudentTargets(settings: mismatched, data: data, classes: 10)) {
            XCTAssertTrue("\($0)".contains("distillation.members[1]") && "\($0)".contains("3 classes"), "\($0)")
        }
        mismatched.weights = [1]
        XCTAssertThrowsError(try mismatched.validate()) { XCTAssertTrue("\($0)".contains("weights"), "\($0)") }
    }
}
