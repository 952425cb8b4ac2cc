import Foundation
import XCTest
@testable import QuorumEnsemble

/// `InputLoader.forEach`, what `quorum vote` reads its inputs with: each file read once, IDX inputs paired in
/// turn with the labels files given, and a file that cannot be read reported without stopping the others.
final class InputLoaderTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("quorum-inputs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: dir) }

    /// Writes `name` with `bytes` in the scratch folder and returns its path.
    private func file(_ name: String, _ bytes: [UInt8]) -> String {
        let path = dir.appendingPathComponent(name).path
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    func testIDXInputsTakeTheLabelsFilesInTurnAndABadFileDoesNotStopTheOthers() throws {
        // Two 2×2 grey images per IDX file; labels files of two labels each.
        let header: [UInt8] = [0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 2]
        let first = file("a.idx", header + [1, 2, 3, 4, 5, 6, 7, 8])
        let pgm = file("one.pgm", Array("P5 2 2 255\n".utf8) + [9, 8, 7, 6])
        let junk = file("junk.dat", [0xff, 0xfe, 0x00, 0x01])
        let second = file("b.idx", header + [8, 7, 6, 5, 4, 3, 2, 1])
        let labelsA = file("a.labels", [0, 0, 8, 1, 0, 0, 0, 2, 2, 1])
        let labelsB = file("b.labels", [0, 0, 8, 1, 0, 0, 0, 2, 0, 2])
        var seen: [(path: String, labels: [Int32]?, error: String?)] = []
        InputLoader(inputShape: [2, 2, 1], classes: 3).forEach(
            [first, pgm, junk, second],
            labels: [labelsA, labelsB]
        ) { path, loaded in
            switch loaded {
            case .success(let batch): seen.append((path, batch.labels, nil))
            case .failure(let error): seen.append((path, nil, "\(error)"))
            }
        }
        XCTAssertEqual(seen.map(\.path), [first, pgm, junk, second])
        XCTAssertEqual(seen[0].labels, [2, 1])
        XCTAssertNil(seen[1].labels, "a PGM image has no labels and takes no labels file")
        XCTAssertTrue(seen[2].error?.contains("junk.dat") == true, "\(seen[2])")
        XCTAssertEqual(seen[3].labels, [0, 2], "the second IDX input takes the second labels file")
    }
}
