import ArgumentParser
import Foundation
import QuorumTraining

extension Quorum {
    /// `quorum evaluate`: a saved model's accuracy on a data set's test images.
    struct Evaluate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Evaluate a saved model: test accuracy and per-class accuracy.")

        @Option(help: "A model file written by 'quorum train' (or any file following docs/formats.md).")
        var model: String

        @Option(help: "Data set: 'fashion-mnist', a folder, or explicit files (as for 'quorum train').")
        var data: String = "fashion-mnist"

        @Option(help: "Evaluate on the first N test images only.")
        var testLimit: Int?

        @Option(help: "BLAS threads.")
        var threads: Int = 1

        @Flag(help: "Print one JSON object.")
        var json = false

        func run() throws {
            ComputeThreads.set(threads)
            let (net, metadata) = try ModelFile.load(path: model)
            var config = TrainingConfig()
            config.data = data
            config.validationSize = 0
            config.testLimit = testLimit
            let splits = try PreparedData.load(for: config)
            guard splits.test.imageShape == metadata.spec.inputShape else {
                throw ValidationError("\(model) takes images of shape \(metadata.spec.inputShape) but \(data) has \(splits.test.imageShape)")
            }
            guard splits.test.numClasses <= metadata.spec.classes else {
                throw ValidationError("\(model) scores \(metadata.spec.classes) classes but \(data) has labels up to \(splits.test.numClasses - 1)")
            }
            let norm = Normalization(mean: metadata.normalizationMean, std: metadata.normalizationStd)
            let start = Date()
            let result = Evaluation.run(net, on: splits.test, normalization: norm)
            let seconds = Date().timeIntervalSince(start)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                let object: [String: AnyEncodable] = [
                    "model": .init(model), "images": .init(splits.test.count), "test_accuracy": .init(result.accuracy),
                    "test_loss": .init(result.loss), "per_class_accuracy": .init(result.perClassAccuracy),
                    "class_names": .init(metadata.classNames), "seconds": .init(seconds),
                ]
                print(String(decoding: try encoder.encode(object), as: UTF8.self))
                return
            }
            print("model \(model): \(metadata.spec.name) \(metadata.spec.layers)")
            print(PerClassTable.render(result.perClassAccuracy, classNames: metadata.classNames))
            print("test accuracy: \(Terminal.percent(result.accuracy)) on \(splits.test.count) images (loss \(String(format: "%.4f", result.loss)))")
        }
    }
}
