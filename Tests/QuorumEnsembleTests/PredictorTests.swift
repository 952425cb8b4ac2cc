import Foundation
import XCTest
@testable import QuorumEnsemble
import QuorumData
import QuorumCore

final class PredictorTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("quorum-predictor-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { if let dir { try? FileManager.default.removeItem(at: dir) } }

    private let classNames = ["left", "right", "none"]

    /// A `flatten dense(3)` member on 1×2 grey images with the given weights `[out][in]` and biases.
    private func linearMember(_ w: [[Float]], _ b: [Float]) throws -> (Sequential, ModelMetadata) {
        let spec = try ModelSpec(parsing: "flatten dense(3)", inputShape: [1, 2, 1], classes: 3)
        let model = try Sequential(spec: spec, seed: 0)
        let dense = try XCTUnwrap(model.layers[1] as? Dense)
        for (i, v) in w.flatMap({ $0 }).enumerated() { dense.weight.value[i] = v }
        for (i, v) in b.enumerated() { dense.bias.value[i] = v }
        return (model, ModelMetadata(spec: spec, normalizationMean: [0], normalizationStd: [1], classNames: classNames))
    }

    /// Three members whose answers are known exactly on the images (255, 0), (0, 255) and (0, 0):
    /// votes 2-1, 1-2 and a three-way tie that the mean probability decides (member 1 is the most sure).
    private func handMadeEnsemble(weights: [Float] = [1, 1, 1]) throws -> EnsemblePredictor {
        let members = try [
            linearMember([[10, 0], [0, 10], [0, 0]], [0, 0, 7]),
            linearMember([[10, 0], [0, 0], [0, 10]], [0, 5, 0]),
            linearMember([[0, 0], [10, 0], [0, 10]], [5, 0, 0])
        ]
        let manifest = EnsembleManifest(
            members: (0..<3).map {
                ManifestMember(
                    name: "m\($0 + 1)", file: "m\($0 + 1).safetensors", seed: UInt64($0), augmentation: "none",
                    weight: weights[$0])
            },
            voteRule: .hard, classNames: classNames, normalisation: Normalization(mean: [0], std: [1]),
            inputShape: [1, 2, 1],
            provenance: Provenance(createdAt: "2026-01-01T00:00:00Z", command: "test", runID: "hand-made"))
        for (k, m) in members.enumerated() {
            try ModelFile.save(m.0, metadata: m.1, to: dir.appendingPathComponent("m\(k + 1).safetensors").path)
        }
        try manifest.write(to: dir)
        return try EnsemblePredictor(directory: dir)
    }

    private let images = ImageArray(imageShape: [1, 2, 1], pixels: [255, 0, 0, 255, 0, 0], count: 3)

    func testHandMadeEnsembleGivesTheKnownAnswers() throws {
        let predictor = try handMadeEnsemble()
        let predictions = predictor.predict(images)
        XCTAssertEqual(predictions.map(\.argmax), [[0, 1, 2], [0, 2, 1], [1, 2, 0]])

        let hard = Voting.hard(predictions)
        XCTAssertEqual(
            hard.predictions, [0, 2, 2], "image 3 ties 1-1-1; the highest mean probability (member 1's 'none') wins")
        XCTAssertEqual(hard.agreement.map { ($0 * 3).rounded() }, [2, 2, 1])
        XCTAssertEqual(Array(hard.votes(of: 2)), [1, 1, 1])
        XCTAssertEqual(hard.tiedCount, 1)

        let weighted = Voting.weighted(predictions, weights: [1, 0, 0])
        XCTAssertEqual(weighted.predictions, [0, 1, 2], "only member 1 counts")

        // Probabilities checked against a softmax computed here in Double.
        let logits: [[[Double]]] = [
            [[10, 0, 7], [0, 10, 7], [0, 0, 7]], [[10, 5, 0], [0, 5, 10], [0, 5, 0]],
            [[5, 10, 0], [5, 0, 10], [5, 0, 0]]
        ]
        for (k, member) in predictions.enumerated() {
            for s in 0..<3 {
                let e = logits[k][s].map { Foundation.exp($0) }, total = e.reduce(0, +)
                for c in 0..<3 { XCTAssertEqual(Double(member.probabilities[s * 3 + c]), e[c] / total, accuracy: 1e-5) }
            }
        }
        let soft = Voting.soft(predictions)
        let expectedSoft = (0..<3).map { s -> Int32 in
            let means = (0..<3).map { c in
                (0..<3).reduce(0.0) { acc, k in
                    let e = logits[k][s].map { Foundation.exp($0) }; return acc + e[c] / e.reduce(0, +)
                }
            }
            return Int32(means.firstIndex(of: means.max()!)!)
        }
        XCTAssertEqual(soft.predictions, expectedSoft)
    }

    func testBatchesAndThreadsGiveTheSameProbabilitiesAsOneImageAtATime() throws {
        let spec = try ModelSpec(
            parsing: "conv3x3(4) relu maxpool2 flatten dense(5)", inputShape: [8, 8, 1], classes: 5)
        let names = (0..<5).map { "c\($0)" }
        var models: [Sequential] = [], metas: [ModelMetadata] = []
        for seed in 1...3 as ClosedRange<UInt64> {
            models.append(try Sequential(spec: spec, seed: seed))
            metas.append(
                ModelMetadata(
                    spec: spec, normalizationMean: [0.3], normalizationStd: [0.2 + Float(seed) / 10], classNames: names)
            )
        }
        let manifest = EnsembleManifest(
            members: (0..<3).map {
                ManifestMember(name: "s\($0)", file: "s\($0).safetensors", seed: UInt64($0), augmentation: "none")
            },
            voteRule: .soft, classNames: names, normalisation: Normalization(mean: [0.3], std: [0.3]),
            inputShape: [8, 8, 1],
            provenance: Provenance(createdAt: "2026-01-01T00:00:00Z", command: "test", runID: "random"))
        let predictor = try EnsemblePredictor(
            manifest: manifest, models: models, metadata: metas, files: ["a", "b", "c"])
        var g = SeededGenerator(seed: 9)
        let n = 600  // three batches, the last one partial
        let pixels = (0..<(n * 64)).map { _ in UInt8(truncatingIfNeeded: g.next()) }
        let all = ImageArray(imageShape: [8, 8, 1], pixels: pixels, count: n)
        let one = predictor.predict(all, threads: 1)
        let two = predictor.predict(all, threads: 2)
        for k in 0..<3 {
            XCTAssertEqual(one[k].probabilities, two[k].probabilities, "member \(k): threads must not change answers")
        }
        for i in [0, 255, 256, 599] {
            let single = predictor.predict(
                ImageArray(imageShape: [8, 8, 1], pixels: Array(pixels[(i * 64)..<((i + 1) * 64)]), count: 1))
            for k in 0..<3 {
                for c in 0..<5 {
                    XCTAssertEqual(
                        single[k].probabilities[c], one[k].probabilities[i * 5 + c], accuracy: 1e-5,
                        "image \(i) member \(k)")
                }
            }
        }
        XCTAssertNotEqual(one[0].probabilities, one[2].probabilities)
    }

    func testMembersThatDoNotFitTheManifestAreRefusedByName() throws {
        _ = try handMadeEnsemble()
        let spec = try ModelSpec(parsing: "flatten dense(3)", inputShape: [1, 2, 1], classes: 3)
        let other = ModelMetadata(
            spec: spec, normalizationMean: [0], normalizationStd: [1], classNames: ["a", "b", "c"])
        try ModelFile.save(
            try Sequential(spec: spec, seed: 1), metadata: other, to: dir.appendingPathComponent("m2.safetensors").path)
        XCTAssertThrowsError(try EnsemblePredictor(directory: dir)) { error in
            XCTAssertTrue("\(error)".contains("m2.safetensors") && "\(error)".contains("class names"), "\(error)")
        }
    }

    func testInputLoaderFindsLabelsAndConvertsImages() throws {
        let loader = InputLoader(inputShape: [2, 2, 1], classes: 3)
        let images = [0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 2].map(UInt8.init) + [1, 2, 3, 4, 5, 6, 7, 8]
        let imagesPath = dir.appendingPathComponent("t-images-idx3-ubyte").path
        FileManager.default.createFile(atPath: imagesPath, contents: Data(images))
        let labelsPath = dir.appendingPathComponent("t-labels-idx1-ubyte").path
        FileManager.default.createFile(atPath: labelsPath, contents: Data([0, 0, 8, 1, 0, 0, 0, 2, 2, 1]))
        let batch = try loader.load(path: imagesPath)
        XCTAssertEqual(batch.format, .idx)
        XCTAssertEqual(batch.labels, [2, 1])
        XCTAssertEqual(batch.labelsFile, labelsPath)

        let pgm = dir.appendingPathComponent("one.pgm").path
        FileManager.default.createFile(atPath: pgm, contents: Data(Array("P5 2 2 255\n".utf8) + [9, 8, 7, 6]))
        let single = try loader.load(path: pgm)
        XCTAssertEqual(single.images.pixels, [9, 8, 7, 6])
        XCTAssertNil(single.labels)

        let wide = dir.appendingPathComponent("wide.pgm").path
        FileManager.default.createFile(atPath: wide, contents: Data(Array("P5 3 2 255\n".utf8) + [1, 2, 3, 4, 5, 6]))
        // Another size is resized to the ensemble's input, as training resizes an image folder's files.
        let resized = try loader.load(path: wide)
        XCTAssertEqual(resized.images.imageShape, [2, 2, 1])
        XCTAssertEqual(resized.images.pixels.count, 4)
        let broken = dir.appendingPathComponent("broken.pgm").path
        FileManager.default.createFile(atPath: broken, contents: Data(Array("P5 3 2 255\n".utf8) + [1, 2]))
        XCTAssertThrowsError(try loader.load(path: broken)) { XCTAssertTrue("\($0)".contains("broken.pgm"), "\($0)") }

        let csv = dir.appendingPathComponent("rows.csv").path
        FileManager.default.createFile(atPath: csv, contents: Data("label,a,b,c,d\n2,1,2,3,4\n5,1,2,3,4\n".utf8))
        XCTAssertThrowsError(try loader.load(path: csv)) { XCTAssertTrue("\($0)".contains("rows.csv"), "\($0)") }

        let junk = dir.appendingPathComponent("junk.dat").path
        FileManager.default.createFile(atPath: junk, contents: Data([0xff, 0xfe, 0x00, 0x01]))
        XCTAssertThrowsError(try loader.load(path: junk)) {
            XCTAssertTrue("\($0)".contains("junk.dat") && "\($0)".contains("unknown input format"), "\($0)")
        }
    }

    func testInputLoaderReadsCIFARBatchesAndCSVRowsWithTheirLabels() throws {
        var record = [UInt8](repeating: 0, count: 3073 * 2)
        record[0] = 7
        record[3073] = 2
        record[3073 + 1 + 1024] = 200  // second image, green plane, first pixel
        let cifar = dir.appendingPathComponent("data_batch_9.bin").path
        FileManager.default.createFile(atPath: cifar, contents: Data(record))
        let colour = try InputLoader(inputShape: [32, 32, 3], classes: 10).load(path: cifar)
        XCTAssertEqual(colour.format, .cifar)
        XCTAssertEqual(colour.labels, [7, 2])
        XCTAssertEqual(Array(colour.images.pixels[(3072)..<(3075)]), [0, 200, 0], "planes become HWC")

        let csv = dir.appendingPathComponent("rows.csv").path
        FileManager.default.createFile(atPath: csv, contents: Data("label,a,b,c,d\n2,1,2,3,4\n0,5,6,7,8\n".utf8))
        let rows = try InputLoader(inputShape: [2, 2, 1], classes: 3).load(path: csv)
        XCTAssertEqual(rows.format, .csv)
        XCTAssertEqual(rows.labels, [2, 0])
        XCTAssertEqual(rows.images.pixels, [1, 2, 3, 4, 5, 6, 7, 8])
        XCTAssertThrowsError(try InputLoader(inputShape: [2, 2, 1], classes: 2).load(path: csv)) {
            XCTAssertTrue("\($0)".contains("rows.csv"), "\($0)")
        }
    }

    func testChannelConversionCompositesAlphaOverBlackAndUsesLuma() {
        XCTAssertEqual(
            InputLoader.convert([255, 0, 0, 0, 0, 255], channels: 3, to: 1), [76, 29], "Rec. 601 luma of red and blue")
        XCTAssertEqual(
            InputLoader.convert([200, 255, 200, 0], channels: 2, to: 1), [200, 0],
            "transparent pixels become background")
        XCTAssertEqual(InputLoader.convert([10, 20], channels: 1, to: 3), [10, 10, 10, 20, 20, 20])
        XCTAssertEqual(InputLoader.convert([100, 50, 0, 128], channels: 4, to: 3), [50, 25, 0])
    }
}
