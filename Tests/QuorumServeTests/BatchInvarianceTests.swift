import Foundation
import QuorumCore
import QuorumData
import QuorumEnsemble
import XCTest

/// The property dynamic batching rests on: an image's probabilities are the same bits whatever batch it is
/// scored in (alone, as `quorum vote` scores one file; among strangers, as the server batches requests; in
/// evaluation's batches), at any place in it, up to the default `--max-batch` of 64. cnn-a holds it up to 256;
/// mlp's 784×128 GEMM at one thread takes yet another kernel somewhere between 65 and 255 rows.
final class BatchInvarianceTests: XCTestCase {
    func testAnImageScoresTheSameBitsInEveryBatchSizeAndPlace() throws {
        for (preset, largest) in [("cnn-a", 256), ("mlp", 64)] {
            let spec = try ModelSpec(parsing: preset, inputShape: [28, 28, 1], classes: 10)
            let names = (0..<10).map { "c\($0)" }
            let metadata = ModelMetadata(
                spec: spec, normalizationMean: [0.3], normalizationStd: [0.35], classNames: names)
            let manifest = EnsembleManifest(
                members: [ManifestMember(name: "m", file: "m.safetensors", seed: 3, augmentation: "none")],
                voteRule: .soft, classNames: names, normalisation: Normalization(mean: [0.3], std: [0.35]),
                inputShape: [28, 28, 1],
                provenance: Provenance(createdAt: "2026-01-01T00:00:00Z", command: "test", runID: "bits"))
            let predictor = try EnsemblePredictor(
                manifest: manifest, models: [try Sequential(spec: spec, seed: 3)], metadata: [metadata],
                files: ["m.safetensors"])
            var g = SeededGenerator(seed: 5)
            let others = (0..<(256 * 784)).map { _ in UInt8(g.nextInt(below: 256)) }
            let image = (0..<784).map { _ in UInt8(g.nextInt(below: 256)) }
            func bits(batch n: Int, at place: Int, threads: Int) -> [UInt32] {
                var pixels = Array(others.prefix(n * 784))
                pixels.replaceSubrange((place * 784)..<((place + 1) * 784), with: image)
                let scores = predictor.predict(
                    ImageArray(imageShape: [28, 28, 1], pixels: pixels, count: n), threads: threads)
                return scores[0].probabilities[(place * 10)..<((place + 1) * 10)].map(\.bitPattern)
            }
            for threads in [1, 2] {
                let alone = bits(batch: 1, at: 0, threads: threads)
                for n in [1, 2, 3, 8, 15, 16, 17, 33, 64, 255, 256] where n <= largest {
                    for place in Set([0, n / 2, n - 1]) {
                        XCTAssertEqual(
                            bits(batch: n, at: place, threads: threads), alone,
                            "\(preset): image \(place) of \(n), \(threads) threads")
                    }
                }
            }
        }
    }
}
