import Foundation
import QuorumCore

extension ModelMetadata {
    /// The test-time augmentation the model was trained to be scored with, read from its training settings;
    /// nil when they do not name one (older files, imported weights, or settings that are not JSON).
    public var trainedTestTimeAugmentation: TestTimeAugmentation? {
        struct Settings: Decodable { var testTimeAugmentation: TestTimeAugmentation? }
        return (try? JSONCoding.decoder(keys: .declared).decode(Settings.self, from: Data(training.utf8)))?
            .testTimeAugmentation
    }
}
