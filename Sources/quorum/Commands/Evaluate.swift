import ArgumentParser
import Foundation
import QuorumEnsemble
import QuorumTraining
import QuorumData
import QuorumCore

extension Quorum {
    /// `quorum evaluate`: a saved model's or an ensemble's accuracy on a data set's test images.
    struct Evaluate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Evaluate a saved model or an ensemble: accuracies, votes, disagreement, per-class accuracy.",
            discussion: """
                With --ensemble: member accuracies (mean ± std), hard, soft and weighted vote with their gain over \
                the mean and the best member, oracle accuracy, the pairwise disagreement matrix, per-class accuracy, \
                the confusion matrix and accuracy against ensemble size (1 to M members, averaged over member subsets).
                """)

        @Option(help: "A model file written by 'quorum train' (or any file following docs/formats.md).")
        var model: String?

        @Option(help: "An ensemble folder (ensemble.json and member files), instead of --model.")
        var ensemble: String?

        @Option(help: "Data set: 'fashion-mnist', a folder, or explicit files (as for 'quorum train').")
        var data: String = "fashion-mnist"

        @Option(help: "Evaluate on the first N test images only.")
        var testLimit: Int?

        @Option(
            help: """
                Test-time augmentation for --model (default: what the model was trained with). An ensemble uses the \
                setting in its ensemble.json.
                """)
        var tta: TestTimeAugmentation?

        @Option(help: "Compute threads for a model; members scored side by side for an ensemble.")
        var threads: Int = 1

        @Flag(help: "Print one JSON object.")
        var json = false

        func validate() throws {
            guard (model == nil) != (ensemble == nil) else {
                throw ValidationError("give either --model or --ensemble, not both")
            }
            guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        }

        func run() throws {
            ComputeThreads.set(threads)
            if let ensemble { return try evaluateEnsemble(ensemble) }
            let model = self.model!
            let (net, metadata) = try ModelFile.load(path: model)
            let test = try TestImages.load(
                data: data, limit: testLimit, inputShape: metadata.spec.inputShape,
                classes: metadata.spec.classes, subject: model)
            let norm = Normalization(mean: metadata.normalizationMean, std: metadata.normalizationStd)
            let start = Date()
            let augmentation = tta ?? metadata.trainedTestTimeAugmentation ?? .none
            let result = Evaluation.run(net, on: test, normalization: norm, testTimeAugmentation: augmentation)
            let seconds = Date().timeIntervalSince(start)
            if json {
                let encoder = JSONCoding.encoder(.pretty)
                let object: [String: AnyEncodable] = [
                    "model": .init(model), "images": .init(test.count), "test_accuracy": .init(result.accuracy),
                    "test_loss": .init(result.loss), "test_time_augmentation": .init(augmentation.rawValue),
                    "per_class_accuracy": .init(result.perClassAccuracy),
                    "class_names": .init(metadata.classNames), "seconds": .init(seconds)
                ]
                print(String(decoding: try encoder.encode(object), as: UTF8.self))
                return
            }
            print("model \(model): \(metadata.spec.name) \(metadata.spec.layers)")
            print(PerClassTable.render(result.perClassAccuracy, classNames: metadata.classNames))
            print(
                "test accuracy: \(Terminal.percent(result.accuracy)) on \(test.count) images (loss \(String(format: "%.4f", result.loss)))"
            )
        }

        private func evaluateEnsemble(_ path: String) throws {
            let predictor = try EnsemblePredictor(directory: URL(fileURLWithPath: path))
            let manifest = predictor.manifest
            let test = try TestImages.load(
                data: data, limit: testLimit, inputShape: manifest.inputShape,
                classes: predictor.classes, subject: path)
            let start = Date()
            let predictions = predictor.predict(
                ImageArray(imageShape: test.imageShape, pixels: test.pixels, count: test.count), threads: threads)
            let seconds = Date().timeIntervalSince(start)
            let evaluation = try EnsembleEvaluation(
                members: manifest.members, predictions: predictions, labels: test.labels,
                classNames: manifest.classNames, rules: manifest.usableVoteRules, answer: manifest.voteRule)
            if json {
                let encoder = JSONCoding.encoder(.pretty)
                let object: [String: AnyEncodable] = [
                    "ensemble": .init(path), "images": .init(test.count), "evaluation": .init(evaluation),
                    "seconds": .init(seconds), "images_per_second": .init(Double(test.count) / max(seconds, 1e-9))
                ]
                print(String(decoding: try encoder.encode(object), as: UTF8.self))
                return
            }
            print(evaluation.text(confusionRule: manifest.voteRule))
            print(
                String(
                    format: "scored %d images with %d members in %.2f s (%.0f images/s)", test.count,
                    manifest.members.count,
                    seconds, Double(test.count) / max(seconds, 1e-9)))
        }
    }
}
