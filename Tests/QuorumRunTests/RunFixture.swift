import Foundation
import QuorumData
import QuorumTestSupport
import QuorumTraining

/// A scratch folder holding a tiny IDX data set (40 training and 12 test images of 6×6 pixels, labels cycling
/// through 3 of the 10 classes an IDX folder scores) and the settings of one-layer members that train on it
/// in well under a second.
final class RunFixture {
    let scratch: URL
    /// Classes an IDX folder's members score.
    let classes = 10

    /// A fresh scratch folder named after `name`, with the data set written.
    init(_ name: String) throws {
        scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("quorum-\(name)-\(UUID().uuidString.prefix(8))")
        try IDXFixture.write(scratch.appendingPathComponent("digits"))
    }

    /// Removes the scratch folder.
    func remove() { try? FileManager.default.removeItem(at: scratch) }

    /// One epoch of `flatten dense(10)` on the data set, without a validation split.
    var base: TrainingConfig {
        var config = TrainingConfig()
        config.data = scratch.appendingPathComponent("digits").path
        config.model = "flatten dense(10)"
        config.epochs = 1
        config.batchSize = 8
        config.validationSize = 0
        return config
    }

    /// A path in the scratch folder for a run directory that does not exist yet.
    func runPath(_ name: String = "run") -> String { scratch.appendingPathComponent(name).path }

    /// The plan's JSON as the wire carries it (snake_case keys).
    static func wireJSON(_ config: TrainingConfig) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return try encoder.encode(config)
    }

    /// Each test image's own label, as probabilities: a member that is always right.
    static func oneHot(_ labels: [Int32], classes: Int) -> [Float] {
        labels.flatMap { label in (0..<classes).map { Float($0 == Int(label) ? 1 : 0) } }
    }
}
