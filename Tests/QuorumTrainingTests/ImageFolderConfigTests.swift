import Foundation
import QuorumCore
import XCTest
@testable import QuorumTraining

/// The image-folder fields of a training config: absent unless set, snake_case on the wire, checked by name.
final class ImageFolderConfigTests: XCTestCase {
    func testUnsetFieldsLeaveTheConfigAndTheDataKeyAsBefore() throws {
        let plain = TrainingFixture.config()
        for key in ["imageSize", "channels", "testShare", "skipBadFiles"] {
            XCTAssertFalse(plain.jsonText.contains(key), plain.jsonText)
        }
        XCTAssertEqual(PreparedData.key(for: plain).split(separator: "|", omittingEmptySubsequences: false).count, 8)
        var images = plain
        images.imageSize = [32, 24]
        images.channels = 3
        images.testShare = 0.25
        images.skipBadFiles = true
        XCTAssertNotEqual(PreparedData.key(for: images), PreparedData.key(for: plain))
        let wire = String(decoding: try JSONCoding.encoder(.compact).encode(images), as: UTF8.self)
        for key in ["\"image_size\":[32,24]", "\"channels\":3", "\"test_share\":0.25", "\"skip_bad_files\":true"] {
            XCTAssertTrue(wire.contains(key), wire)
        }
        XCTAssertEqual(try JSONCoding.decoder().decode(TrainingConfig.self, from: Data(wire.utf8)), images)
        let options = images.imageFolderOptions
        XCTAssertEqual(options.size?.height, 32)
        XCTAssertEqual(options.size?.width, 24)
        XCTAssertEqual(options.channels, 3)
        XCTAssertEqual(options.testShare, 0.25)
        XCTAssertEqual(options.seed, images.splitSeed)
        XCTAssertTrue(options.skipBadFiles)
    }

    func testBadImageFieldsAreNamed() {
        func refused(_ change: (inout TrainingConfig) -> Void, _ field: String) {
            var c = TrainingFixture.config()
            change(&c)
            XCTAssertThrowsError(try c.validate(), field) { XCTAssertTrue("\($0)".contains(field), "\($0)") }
        }
        refused({ $0.imageSize = [28] }, "image_size")
        refused({ $0.imageSize = [0, 28] }, "image_size")
        refused({ $0.imageSize = [28, 9000] }, "image_size")
        refused({ $0.channels = 2 }, "channels")
        refused({ $0.testShare = 1 }, "test_share")
        refused({ $0.testShare = -0.1 }, "test_share")
    }
}
