import ArgumentParser
import Foundation
import QuorumCore
import QuorumData
import QuorumEnsemble
import QuorumTraining

/// Which images a training command reads: the data set, the validation split and the subsets taken from it.
/// Shared by every command that trains.
struct DataOptions: ParsableArguments {
    @Option(
        help: """
            Data set: 'fashion-mnist', a folder of MNIST-style IDX files or CIFAR-10 binaries, or \
            'train=IMAGES:LABELS,test=IMAGES:LABELS'.
            """)
    var data: String = "fashion-mnist"

    @Option(help: "Training images held out for validation (a seeded split).")
    var validationSize: Int = 5000

    @Option(help: "Train on the first N training images only (quick runs).")
    var trainLimit: Int?

    @Option(help: "Test on the first N test images only.")
    var testLimit: Int?

    @Option(help: "Keep only these classes, relabelled 0, 1, … in this order, e.g. '5,6,7,8,9'.")
    var classes: String?

    @Option(help: "Train on the first N images of each class only (after --classes).")
    var perClassLimit: Int?

    @Option(
        help: """
            Make the training set imbalanced for experiments: 'CLASS=FRACTION,...' keeps that share of each class \
            named.
            """)
    var imbalance: String?

    /// Writes these flags into `config`; throws a `ValidationError` for a malformed --classes.
    func apply(to config: inout TrainingConfig) throws {
        config.data = data
        config.validationSize = validationSize
        config.trainLimit = trainLimit
        config.testLimit = testLimit
        config.classes = try classes.map(Self.classList)
        config.perClassLimit = perClassLimit
        config.imbalance = imbalance
    }

    /// Parses `5,6,7` into class labels.
    static func classList(_ text: String) throws -> [Int] {
        let items = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let labels = items.compactMap { Int($0) }
        guard !items.isEmpty, labels.count == items.count, labels.allSatisfy({ $0 >= 0 }) else {
            throw ValidationError(
                "--classes must be a comma-separated list of class labels such as 5,6,7,8,9, got '\(text)'")
        }
        return labels
    }
}
