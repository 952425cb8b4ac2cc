import Foundation
import QuorumTestSupport
import XCTest

@testable import QuorumCluster

/// A snapshot job's RESULT: the last cycle in frames 3 and 4, each earlier snapshot in two more frames, all
/// checked as strictly as a RESULT of one member.
final class SnapshotResultCodecTests: XCTestCase {
    private let codec = MessageCodec()

    /// A RESULT for a job of `count` snapshots over 3 test images and 2 classes.
    private func snapshotResult(count: Int = 3) -> ResultMessage {
        var message = Fixtures.resultMessage("member-00")
        let earlier = (1..<count).map { cycle in
            SnapshotFrames(
                probabilities: [0.5, 0.5, 0.25, 0.75, 1, 0], model: Data(repeating: UInt8(cycle), count: 10 + cycle))
        }
        message.snapshots = earlier
        message.header.snapshots = earlier.enumerated().map {
            ResultSnapshot(
                cycle: $0.offset + 1, validationLoss: 0.5, validationAccuracy: 0.75, modelBytes: $0.element.model.count)
        }
        return message
    }

    private func assertProblem(_ frames: [Data], _ text: String, line: UInt = #line) {
        XCTAssertThrowsError(try codec.decode(frames), line: line) {
            XCTAssertTrue("\($0)".contains(text), "\($0)", line: line)
        }
    }

    func testEarlierSnapshotsRoundTripTwoFramesEach() throws {
        let message = snapshotResult()
        let frames = codec.encode(.result(message))
        XCTAssertEqual(frames.count, 5 + 2 * 2)
        XCTAssertTrue(String(decoding: frames[2], as: UTF8.self).contains(#""snapshots":[{"cycle":1"#))
        XCTAssertEqual(try codec.decode(frames), .result(message))
        let single = message.snapshotResult(1)
        XCTAssertEqual(single.model, message.snapshots[1].model)
        XCTAssertEqual(single.header.modelBytes, 12)
        XCTAssertNil(single.header.snapshots)
        // A job of one member sends no `snapshots` field: its RESULT is exactly as before.
        let plain = codec.encode(Fixtures.result("member-01"))
        XCTAssertEqual(plain.count, 5)
        XCTAssertFalse(String(decoding: plain[2], as: UTF8.self).contains("snapshots"))
    }

    func testFramesMustMatchTheSnapshotsListed() {
        var frames = codec.encode(.result(snapshotResult()))
        frames.removeLast(2)
        assertProblem(frames, "snapshots lists 2, so 9 are expected")
        frames.removeLast()
        assertProblem(frames, "frames")  // an odd count is refused before the header is read
        var short = codec.encode(.result(snapshotResult()))
        short[8] = Data([1, 2])
        assertProblem(short, "frame 8 (model file)")
        var badRow = codec.encode(.result(snapshotResult()))
        badRow[5] = MessageCodec.littleEndianBytes([2, -1, 0.5, 0.5, 1, 0])
        assertProblem(badRow, "frame 5 (probabilities)")
    }

    func testSnapshotEntriesAreValidated() {
        var message = snapshotResult()
        message.header.snapshots?[1].cycle = 5
        assertProblem(codec.encode(.result(message)), "snapshots[1].cycle")
        message = snapshotResult()
        message.header.snapshots?[0].validationAccuracy = 2
        assertProblem(codec.encode(.result(message)), "snapshots[0].validation_accuracy")
        message = snapshotResult()
        message.header.snapshots = []
        message.snapshots = []
        assertProblem(codec.encode(.result(message)), "snapshots")
        let tooMany = Array(repeating: Data(), count: 5 + 2 * (Command.maxResultSnapshots + 1))
        XCTAssertFalse(Command.result.allowsFrameCount(tooMany.count))
        XCTAssertTrue(Command.result.allowsFrameCount(5 + 2 * Command.maxResultSnapshots))
        XCTAssertFalse(Command.heartbeat.allowsFrameCount(5))
    }
}
