import Crypto
import Foundation
import QuorumCore
import QuorumData

/// Saved members' probabilities on a split of the data they were trained on, recomputed from their model
/// files: the validation split for selection and stacking (never the test set), the training images for a
/// distillation teacher.
///
/// The split comes from each file's recorded settings (`quorum.training`): members of one run share the data,
/// `validation_size` and `split_seed`, so they hold out the same images; members that do not are refused.
public struct MemberScores {
    /// The data the members were trained on, as their settings load it.
    public var data: PreparedData
    /// The members' settings, in the order given.
    public var configs: [TrainingConfig]
    /// The members' model files' bytes, in the order given.
    public var modelFiles: [Data]
    /// The files' paths, for messages.
    public var paths: [String]

    /// Reads the members' files and loads the data they share.
    public init(modelFiles urls: [URL]) throws {
        paths = urls.map(\.path)
        modelFiles = try urls.map { try Data(contentsOf: $0) }
        var configs: [TrainingConfig] = []
        for (path, bytes) in zip(paths, modelFiles) {
            let metadata = try ModelFile.load(data: bytes, path: path).metadata
            do {
                configs.append(
                    try JSONCoding.decoder(keys: .declared).decode(
                        TrainingConfig.self, from: Data(metadata.training.utf8)))
            } catch {
                throw EnsembleMethodError.noTrainingSettings(file: path, reason: "\(error)")
            }
        }
        guard let first = configs.first else {
            throw EnsembleMethodError.badSetting(name: "members", expected: "at least one", found: "none")
        }
        let key = PreparedData.key(for: first)
        for (path, config) in zip(paths, configs) where PreparedData.key(for: config) != key {
            throw EnsembleMethodError.differentData(file: path, expected: key, found: PreparedData.key(for: config))
        }
        self.configs = configs
        data = try PreparedData.load(for: first)
    }

    /// A SHA-256 over the members' model files in order and `settings` (how they are combined): names an
    /// ensemble's cached results.
    public func fingerprint(settings: String) -> String {
        var text = modelFiles.map { SHA256.hex($0) }.joined(separator: ",")
        text += "|" + settings
        return SHA256.hex(Array(text.utf8))
    }

    /// Each member's validation probabilities (rows in split order), scored with `testTimeAugmentation`. With
    /// `cacheURLs` (one per member) a file there holding the same model's scores of the same images is read
    /// instead, and fresh scores are written there.
    public func validation(testTimeAugmentation: TestTimeAugmentation, cacheURLs: [URL]? = nil) throws -> [[Float]] {
        guard data.validation.count > 0 else { throw EnsembleMethodError.noValidation(file: paths[0]) }
        return try score(data.validation, testTimeAugmentation: testTimeAugmentation, cacheURLs: cacheURLs)
    }

    /// Each member's probabilities on `dataset`, scored with `testTimeAugmentation`, through `cacheURLs` as
    /// `validation` says.
    public func score(
        _ dataset: Dataset, testTimeAugmentation: TestTimeAugmentation, cacheURLs: [URL]? = nil
    ) throws -> [[Float]] {
        let images = dataset.contentHash()
        return try modelFiles.enumerated().map { k, bytes in
            let stamp = [
                "model_sha256": SHA256.hex(bytes), "images_sha256": images,
                "test_time_augmentation": testTimeAugmentation.rawValue
            ]
            if let url = cacheURLs?[k], let cached = try? SafeTensors.read(path: url.path),
                stamp.allSatisfy({ cached.metadata[$0.key] == $0.value }),
                let rows = cached["probabilities"], rows.shape.first == dataset.count
            {
                return rows.values
            }
            let (model, metadata) = try ModelFile.load(data: bytes, path: paths[k])
            let probabilities = Evaluation.run(
                model, on: dataset,
                normalization: Normalization(mean: metadata.normalizationMean, std: metadata.normalizationStd),
                testTimeAugmentation: testTimeAugmentation
            ).probabilities
            if let url = cacheURLs?[k] {
                let classes = model.spec.classes
                try? FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try? SafeTensors(
                    metadata: stamp,
                    entries: [.init(name: "probabilities", shape: [dataset.count, classes], values: probabilities)]
                ).write(to: url.path)
            }
            return probabilities
        }
    }
}
