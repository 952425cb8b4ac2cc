import Foundation
import QuorumCore
import QuorumData

/// What a student is taught on each batch: the teacher's softened probabilities for the batch's images, read
/// from a fixed teacher file or computed by the teacher's models on the batch as the student sees it.
struct StudentTargets {
    /// The distillation settings these targets follow.
    let settings: DistillationSettings
    private let classes: Int
    /// Fixed teaching: every training image's softened row.
    private let rows: [Float]?
    /// Consistent teaching: the teacher's models with their normalised weights.
    private let members: [(model: Sequential, weight: Float)]
    private let probabilities = Tensor(shape: [0])

    /// Targets for a student of `classes` classes trained on `data`, checking the teacher against them.
    init(settings: DistillationSettings, data: PreparedData, classes: Int) throws {
        self.settings = settings
        self.classes = classes
        guard let paths = settings.members else {
            rows = try settings.softTargets(for: data.train, classes: classes)
            members = []
            return
        }
        rows = nil
        let weights = settings.weights ?? [Float](repeating: 1, count: paths.count)
        let total = weights.reduce(0, +)
        members = try zip(paths, weights).enumerated().map { i, pair in
            func bad(_ why: String) -> TrainingError {
                .badConfig(field: "distillation.members[\(i)]", reason: "\(pair.0): \(why)")
            }
            let loaded: (model: Sequential, metadata: ModelMetadata)
            do { loaded = try ModelFile.load(path: pair.0) } catch { throw bad("\(error)") }
            guard loaded.model.spec.inputShape == data.train.imageShape else {
                throw bad(
                    "takes \(loaded.model.spec.inputShape) images; the training images are \(data.train.imageShape)")
            }
            guard loaded.model.spec.classes == classes else {
                throw bad("scores \(loaded.model.spec.classes) classes; the student scores \(classes)")
            }
            guard loaded.metadata.normalizationMean == data.normalization.mean,
                loaded.metadata.normalizationStd == data.normalization.std
            else { throw bad("was trained on differently normalised images: train the student on the teacher's data") }
            return (loaded.model, pair.1 / total)
        }
    }

    /// Writes the batch's targets into `targets` (`[n × classes]`, batch order): `images` is the batch as the
    /// student sees it, `indices` its images' places in the training set.
    func fill(_ targets: inout [Float], images: Tensor, indices: ArraySlice<Int>) {
        let c = classes
        targets.removeAll(keepingCapacity: true)
        if let rows {
            for i in indices { targets += rows[(i * c)..<((i + 1) * c)] }
            return
        }
        targets = [Float](repeating: 0, count: indices.count * c)
        for member in members {
            softmax(member.model.forward(images, training: false), into: probabilities)
            for k in 0..<targets.count { targets[k] += member.weight * probabilities.data[k] }
        }
        settings.soften(&targets, classes: c)
    }
}
