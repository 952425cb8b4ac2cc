import QuorumCore
import QuorumData
import XCTest

/// A model file's training settings say which test-time augmentation it is scored with by default.
final class TrainedTestTimeAugmentationTests: XCTestCase {
    private func metadata(training: String) throws -> ModelMetadata {
        ModelMetadata(
            spec: try ModelSpec(parsing: "mlp", inputShape: [28, 28, 1], classes: 10),
            normalizationMean: [0.5], normalizationStd: [0.25], classNames: (0..<10).map(String.init),
            training: training)
    }

    func testReadsTheSettingTheModelWasTrainedWith() throws {
        let trained = try metadata(training: #"{"seed":1,"testTimeAugmentation":"flip-shift"}"#)
        XCTAssertEqual(trained.trainedTestTimeAugmentation, .flipShift)
    }

    func testNoneWhenTheSettingsDoNotNameOne() throws {
        XCTAssertNil(try metadata(training: #"{"seed":1}"#).trainedTestTimeAugmentation)
        XCTAssertNil(try metadata(training: #"{"imported_from":"pytorch"}"#).trainedTestTimeAugmentation)
        XCTAssertNil(try metadata(training: "").trainedTestTimeAugmentation)
        XCTAssertNil(try metadata(training: #"{"testTimeAugmentation":"spin"}"#).trainedTestTimeAugmentation)
    }
}
