import XCTest
@testable import QuorumTraining

/// A small Fashion-MNIST subset, loaded once for every training test.
enum TrainingFixture {
    static let folder = "/usr/share/datasets/fashion-mnist"

    static func config(
        model: String = "conv3x3(8) relu maxpool2 flatten dense(10)", epochs: Int = 1,
        augment: String = "hflip,crop=2", seed: UInt64 = 1
    ) -> TrainingConfig {
        var c = TrainingConfig()
        c.model = model
        c.epochs = epochs
        c.augment = augment
        c.seed = seed
        c.validationSize = 500
        c.trainLimit = 3000
        c.testLimit = 1000
        return c
    }

    private static let shared: Result<PreparedData, Error> = Result { try PreparedData.load(for: config()) }

    /// The subset, or a skip when the Debian package `dataset-fashion-mnist` is not installed.
    static func data() throws -> PreparedData {
        guard FileManager.default.fileExists(atPath: folder) else {
            throw XCTSkip("Fashion-MNIST is not installed (scripts/setup.sh installs dataset-fashion-mnist)")
        }
        return try shared.get()
    }
}
