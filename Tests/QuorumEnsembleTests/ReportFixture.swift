import Foundation
import QuorumCore
import QuorumData
@testable import QuorumEnsemble

/// A report as a real run gives one: ten members of ten classes with ten-epoch histories (learning rate and
/// epoch times included), long augmentation strings and a long command line, the things that once widened
/// the page.
enum ReportFixture {
    static let classNames = [
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"
    ]
    static let augmentation = "hflip,crop=4,erase=0.25,rotate=10,translate=0.1,brightness=0.2,contrast=0.2"

    /// Members about 80 % right, each wrong on its own images, so that votes gain a few points as in a real run.
    static func strongMembers(count: Int, samples: Int) throws -> ([MemberPredictions], [Int32]) {
        var g = SeededGenerator(seed: 11)
        let labels = (0..<samples).map { _ in Int32(g.nextInt(below: 10)) }
        // Some images are hard for every member (a smaller bias towards the truth), as in real data.
        let difficulty = (0..<samples).map { _ in Float(g.nextInt(below: 4)) * 0.9 }
        let members = try (0..<count).map { k -> MemberPredictions in
            var probs = [Float]()
            for s in 0..<samples {
                let logits = (0..<10).map { j in g.nextNormal() + (j == Int(labels[s]) ? 3.2 - difficulty[s] : 0) }
                let top = logits.max()!
                let exps = logits.map { expf($0 - top) }
                probs += exps.map { $0 / exps.reduce(0, +) }
            }
            return try MemberPredictions(name: "m\(k)", probabilities: probs, classes: 10)
        }
        return (members, labels)
    }

    /// The report; `members` and `epochs` scale it down for tests that need less.
    static func builder(members: Int = 10, epochs: Int = 10) throws -> ReportBuilder {
        let (predictions, labels) = try strongMembers(count: members, samples: 600)
        let details = predictions.enumerated().map {
            ManifestMember(
                name: "member-\($0.offset + 1)", file: "\($0.element.name).safetensors", seed: UInt64($0.offset + 1),
                augmentation: augmentation, validationAccuracy: 0.6 + 0.01 * Double($0.offset))
        }
        let comparison = try EnsembleComparison.evaluate(members: details, predictions: predictions, labels: labels)
        var histories: [String: [EpochStats]] = [:]
        for (k, member) in details.enumerated() {
            histories[member.name] = (1...epochs).map { e in
                let t = Double(e) / Double(epochs), wobble = 0.01 * Double((k * 7 + e * 3) % 5)
                return EpochStats(
                    epoch: e, trainLoss: 1.4 - 0.9 * t + wobble, trainAccuracy: 0.5 + 0.3 * t - wobble,
                    validationLoss: 1.2 - 0.8 * t + wobble, validationAccuracy: 0.55 + 0.3 * t - wobble / 2,
                    learningRate: 0.001 * (1 + cos(Double.pi * t)) / 2, seconds: 20 + Double(k) + wobble * 100,
                    imagesPerSecond: 2500)
            }
        }
        let answer = Voting.vote(predictions, rule: .answer)
        return ReportBuilder(
            title: "Quorum run fashion-\(members)x\(epochs)", comparison: comparison, histories: histories,
            classNames: classNames,
            confusionMatrix: EnsembleMetrics.confusionMatrix(answer.predictions, labels: labels, classes: 10),
            sizeCurve: EnsembleMetrics.ensembleSizeCurve(predictions, labels: labels),
            modelGraphSVG: ModelGraph(
                model: try Sequential(
                    spec: ModelSpec(parsing: "cnn-a", inputShape: [28, 28, 1], classes: 10), seed: 0)
            ).svg(),
            provenance: Provenance(
                createdAt: "2026-12-01T00:00:00Z",
                command: "quorum local --members \(members) --augment \(augmentation) --run-dir runs/fashion",
                runID: "fashion-run"),
            overview: ReportOverview(
                dataSet: "fashion-mnist", model: "cnn-c", optimizer: "adamw, weight decay 0.05",
                learningRate: "0.001", batchSize: "128", epochs: "\(epochs)", schedule: "cosine, 1.0 warm-up epochs",
                wallSeconds: 1234))
    }
}
