import Foundation
import XCTest
@testable import QuorumData

/// Image folders: the scan's layouts and split, the bad-file listing, the most common size, and the cache.
final class ImageFolderTests: XCTestCase {
    /// A grey PNG of `height × width` whose pixels all hold `value`.
    static func png(_ height: Int, _ width: Int, value: UInt8) -> [UInt8] {
        PNGEncoder.encode(
            width: width, height: height, colourType: 0, samples: 1,
            pixels: [UInt8](repeating: value, count: height * width))
    }

    static func jpegFixture(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: JPEGReaderTests.fixture(name))))
    }

    /// Creates `root/relative`'s folders and writes the file.
    @discardableResult
    static func put(_ root: TemporaryFolder, _ relative: String, _ bytes: [UInt8]) -> String {
        let folder = (relative as NSString).deletingLastPathComponent
        try! FileManager.default.createDirectory(atPath: root.path + "/" + folder, withIntermediateDirectories: true)
        return root.write(relative, bytes)
    }

    /// The folder scanned afresh and loaded through the cache.
    static func load(
        _ root: TemporaryFolder, _ settings: ImageFolderSettings,
        _ cache: String
    ) throws -> ImageFolderData {
        try DecodedImageCache.load(try ImageFolderScan.scan(root.path), settings: settings, cacheFile: cache)
    }

    func testSplitIsStratifiedSeededAndSorted() throws {
        let root = TemporaryFolder()
        for (name, n) in [("cat", 10), ("dog", 5), ("emu", 1)] {
            for i in 0..<n { Self.put(root, "\(name)/\(i).png", Self.png(2, 2, value: UInt8(i))) }
        }
        let scan = try ImageFolderScan.scan(root.path, testShare: 0.2, seed: 3)
        XCTAssertEqual(scan.classNames, ["cat", "dog", "emu"])
        XCTAssertEqual(scan.layout, .split(share: 0.2, seed: 3))
        func counts(_ entries: [ImageFolderScan.Entry]) -> [Int] {
            (0..<3).map { c in entries.filter { $0.label == c }.count }
        }
        XCTAssertEqual(counts(scan.test), [2, 1, 0])  // 20 % of 10, of 5 (rounded), none of 1: training keeps one
        XCTAssertEqual(counts(scan.train), [8, 4, 1])
        XCTAssertEqual(scan.train.map(\.path), scan.train.map(\.path).sorted())
        XCTAssertEqual(try ImageFolderScan.scan(root.path, testShare: 0.2, seed: 3), scan)
        let other = try ImageFolderScan.scan(root.path, testShare: 0.2, seed: 4)
        XCTAssertNotEqual(other.test.map(\.path), scan.test.map(\.path))
        XCTAssertEqual(counts(other.test), [2, 1, 0])
        XCTAssertThrowsError(try ImageFolderScan.scan(root.path, testShare: 1))
    }

    func testTrainTestLayoutSkipsHiddenAndOtherFilesAndDoesNotFollowFolderLinks() throws {
        let root = TemporaryFolder()
        Self.put(root, "train/b/x.PNG", Self.png(2, 2, value: 1))
        Self.put(root, "train/b/sub/y.jpeg", try Self.jpegFixture("grey.jpg"))
        Self.put(root, "train/b/.hidden.png", Self.png(2, 2, value: 1))
        Self.put(root, "train/b/notes.txt", Array("x".utf8))
        Self.put(root, "train/a/z.pgm", Array("P2 1 1 255 7\n".utf8))
        Self.put(root, "train/.cache/q.png", Self.png(2, 2, value: 1))
        Self.put(root, "test/b/t.jpg", try Self.jpegFixture("colour.jpg"))
        try FileManager.default.createSymbolicLink(
            atPath: root.path + "/train/b/loop",
            withDestinationPath: root.path + "/train")
        let scan = try ImageFolderScan.scan(root.path)
        XCTAssertEqual(scan.layout, .trainTest)
        XCTAssertEqual(scan.classNames, ["a", "b"])
        XCTAssertEqual(scan.train.map(\.path), ["train/a/z.pgm", "train/b/sub/y.jpeg", "train/b/x.PNG"])
        XCTAssertEqual(scan.train.map(\.label), [0, 1, 1])
        XCTAssertEqual(scan.test.map(\.path), ["test/b/t.jpg"])
        XCTAssertEqual(scan.test.map(\.label), [1])

        Self.put(root, "test/zebra/t.png", Self.png(2, 2, value: 1))
        XCTAssertThrowsError(try ImageFolderScan.scan(root.path)) { error in
            XCTAssertEqual(error as? ImageFolderError, .unknownTestClass(folder: root.path, className: "zebra"))
        }
        Self.put(root, "train/zebra/notes.txt", Array("x".utf8))
        XCTAssertThrowsError(try ImageFolderScan.scan(root.path)) { error in
            XCTAssertEqual(error as? ImageFolderError, .emptyClass(folder: root.path + "/train", className: "zebra"))
        }
    }

    func testSurveyListsBadFilesWithReasonsAndFindsTheCommonSize() throws {
        let root = TemporaryFolder()
        Self.put(root, "a/1.png", Self.png(4, 5, value: 9))
        Self.put(root, "a/2.png", Self.png(4, 5, value: 9))
        Self.put(root, "a/3.pgm", Array("P2 3 3 255\n1 2 3 4 5 6 7 8 9\n".utf8))
        Self.put(root, "a/empty.png", [])
        Self.put(root, "b/cut.jpg", try Self.jpegFixture("truncated.jpg"))
        Self.put(
            root, "b/deep.png",
            PNGEncoder.encode(
                width: 2, height: 2, colourType: 0, samples: 2,
                pixels: [UInt8](repeating: 0, count: 8), bitDepth: 16))
        Self.put(root, "b/colour.jpg", try Self.jpegFixture("colour.jpg"))
        Self.put(root, "b/text.jpg", Array("hello".utf8))
        let survey = ImageFolderSurvey.survey(try ImageFolderScan.scan(root.path, testShare: 0))
        XCTAssertEqual(survey.fileCount, 8)
        XCTAssertEqual(survey.badFiles.map(\.path), ["a/empty.png", "b/cut.jpg", "b/deep.png", "b/text.jpg"])
        let reasons = survey.badFiles.map(\.reason)
        XCTAssertTrue(reasons[0].contains("empty"), reasons[0])
        XCTAssertTrue(reasons[1].hasPrefix("truncated"), reasons[1])
        XCTAssertTrue(reasons[2].contains("bit depth 16"), reasons[2])
        XCTAssertTrue(reasons[3].contains("not a JPEG, PNG or PGM"), reasons[3])
        XCTAssertEqual(survey.commonSize?.height, 4)
        XCTAssertEqual(survey.commonSize?.width, 5)
        XCTAssertEqual(survey.channels, 3)

        let settings = try ImageFolderSettings(height: 4, width: 4, channels: 1)
        let cache = root.path + "/../\(UUID().uuidString).cache"
        defer { try? FileManager.default.removeItem(atPath: cache) }
        let scan = try ImageFolderScan.scan(root.path, testShare: 0)
        XCTAssertThrowsError(try DecodedImageCache.load(scan, settings: settings, cacheFile: cache)) { error in
            guard case let ImageFolderError.badFiles(_, files, count) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(count, 4)
            XCTAssertEqual(files, survey.badFiles)
            XCTAssertTrue("\(error)".contains("4 unreadable image files"), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: cache))
        let skipping = try ImageFolderSettings(height: 4, width: 4, channels: 1, skipBadFiles: true)
        let data = try DecodedImageCache.load(scan, settings: skipping, cacheFile: cache)
        XCTAssertEqual(data.train.count, 4)
        XCTAssertEqual(data.skipped, survey.badFiles)
        let again = try DecodedImageCache.load(scan, settings: skipping, cacheFile: cache)
        XCTAssertTrue(again.reused)
        XCTAssertEqual(again.skipped, survey.badFiles)
    }

    func testCacheIsReusedAndInvalidatedByAChangedOrAddedImage() throws {
        let root = TemporaryFolder()
        Self.put(root, "train/a/1.png", Self.png(2, 2, value: 10))
        Self.put(root, "train/b/2.jpg", try Self.jpegFixture("colour.jpg"))
        Self.put(root, "test/a/3.png", Self.png(8, 8, value: 200))
        let cache = root.path + "/../\(UUID().uuidString).cache"
        defer { try? FileManager.default.removeItem(atPath: cache) }
        let settings = try ImageFolderSettings(height: 4, width: 4, channels: 3)
        let first = try Self.load(root, settings, cache)
        XCTAssertFalse(first.reused)
        XCTAssertEqual(first.train.imageShape, [4, 4, 3])
        XCTAssertEqual(first.train.labels, [0, 1])
        XCTAssertEqual(first.test.labels, [0])
        XCTAssertEqual(first.train.classNames, ["a", "b"])
        XCTAssertEqual(first.train.image(0), [UInt8](repeating: 10, count: 48))
        XCTAssertEqual(first.test.image(0), [UInt8](repeating: 200, count: 48))
        // The 16×16 JPEG is decoded at 1/4 scale, straight to 4×4; that is close to a full decode averaged
        // over 4×4 blocks (the DCT scaling and the block mean round differently).
        let bytes = try Self.jpegFixture("colour.jpg")
        let scaled = try JPEGReader.decode(bytes, file: "colour.jpg", atLeast: (4, 4))
        XCTAssertEqual(scaled.imageShape, [4, 4, 3])
        XCTAssertEqual(first.train.image(1), scaled.pixels)
        let full = try JPEGReader.decode(bytes, file: "colour.jpg")
        let averaged = ImageResize.resize(full.pixels, height: 16, width: 16, channels: 3, toHeight: 4, toWidth: 4)
        let worst = zip(averaged, scaled.pixels).map { abs(Int($0) - Int($1)) }.max() ?? 0
        XCTAssertLessThanOrEqual(worst, 4)

        let second = try Self.load(root, settings, cache)
        XCTAssertTrue(second.reused)
        XCTAssertEqual(second.key, first.key)
        XCTAssertEqual(second.train.pixels, first.train.pixels)
        XCTAssertEqual(second.test.pixels, first.test.pixels)
        XCTAssertEqual(second.train.name, first.train.name)

        let grey = try Self.load(root, try ImageFolderSettings(height: 4, width: 4, channels: 1), cache)
        XCTAssertFalse(grey.reused, "other settings need another key")

        Self.put(root, "train/a/1.png", Self.png(2, 2, value: 11))
        let changed = try Self.load(root, settings, cache)
        XCTAssertFalse(changed.reused)
        XCTAssertNotEqual(changed.key, first.key)
        XCTAssertEqual(changed.train.image(0), [UInt8](repeating: 11, count: 48))

        Self.put(root, "train/a/4.png", Self.png(2, 2, value: 12))
        let added = try Self.load(root, settings, cache)
        XCTAssertFalse(added.reused)
        XCTAssertEqual(added.train.count, 3)
    }

    func testADamagedCacheIsRefusedWhenReadAndRebuiltWhenLoaded() throws {
        let root = TemporaryFolder()
        Self.put(root, "a/1.png", Self.png(3, 3, value: 1))
        Self.put(root, "b/2.png", Self.png(3, 3, value: 2))
        let cache = root.path + "/../\(UUID().uuidString).cache"
        defer { try? FileManager.default.removeItem(atPath: cache) }
        let scan = try ImageFolderScan.scan(root.path, testShare: 0)
        let settings = try ImageFolderSettings(height: 3, width: 3, channels: 1)
        let built = try DecodedImageCache.load(scan, settings: settings, cacheFile: cache)
        let good = [UInt8](try Data(contentsOf: URL(fileURLWithPath: cache)))

        var damaged: [[UInt8]] = [Array(good.dropLast()), good + [0], Array(good.prefix(30))]
        var hugeCount = good
        hugeCount[20 + 64] = 0xFF  // the image count's low byte
        damaged.append(hugeCount)
        var badLabel = good
        badLabel[good.count - 18 - 1] = 0x7F  // the last label's high byte (labels precede 2 × 9 pixel bytes)
        damaged.append(badLabel)
        for bytes in damaged {
            XCTAssertTrue(FileManager.default.createFile(atPath: cache, contents: Data(bytes)))
            XCTAssertThrowsError(try DecodedImageCache.read(cache, name: "x")) { error in
                XCTAssertTrue(error is ImageFolderError || error is DataError, "\(error)")
                XCTAssertTrue("\(error)".contains(cache), "\(error)")
            }
            let rebuilt = try DecodedImageCache.load(scan, settings: settings, cacheFile: cache)
            XCTAssertFalse(rebuilt.reused)
            XCTAssertEqual(rebuilt.train.pixels, built.train.pixels)
        }
    }

    func testTheBadFileListStopsAtTwentyAndGivesTheCount() throws {
        let root = TemporaryFolder()
        Self.put(root, "a/good.png", Self.png(2, 2, value: 1))
        for i in 0..<23 { Self.put(root, "a/bad\(String(format: "%02d", i)).png", []) }
        let scan = try ImageFolderScan.scan(root.path, testShare: 0)
        let cache = root.path + "/../\(UUID().uuidString).cache"
        defer { try? FileManager.default.removeItem(atPath: cache) }
        let settings = try ImageFolderSettings(height: 2, width: 2, channels: 1)
        XCTAssertThrowsError(try DecodedImageCache.load(scan, settings: settings, cacheFile: cache)) { error in
            guard case let ImageFolderError.badFiles(_, files, count) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(count, 23)
            XCTAssertEqual(files.count, 20)
            let text = "\(error)"
            XCTAssertTrue(text.contains("23 unreadable image files"), text)
            XCTAssertTrue(text.contains("a/bad19.png: the file is empty"), text)
            XCTAssertFalse(text.contains("a/bad20.png"), text)
            XCTAssertTrue(text.hasSuffix("... and 3 more"), text)
        }
    }

    func testSettingsAreCheckedAndProgressCountsEveryFile() throws {
        XCTAssertThrowsError(try ImageFolderSettings(height: 4, width: 4, channels: 2)) { error in
            XCTAssertEqual(error as? ImageFolderError, .badSettings(reason: "2 channels, expected 1 or 3"))
        }
        XCTAssertThrowsError(try ImageFolderSettings(height: 0, width: 4, channels: 1))
        XCTAssertThrowsError(try ImageFolderSettings(height: 9000, width: 4, channels: 1))

        let root = TemporaryFolder()
        for i in 0..<7 { Self.put(root, "c\(i % 2)/\(i).png", Self.png(3, 3, value: UInt8(i))) }
        let cache = root.path + "/../\(UUID().uuidString).cache"
        defer { try? FileManager.default.removeItem(atPath: cache) }
        let steps = StepLog()
        let scan = try ImageFolderScan.scan(root.path, testShare: 0.3)
        let settings = try ImageFolderSettings(height: 3, width: 3, channels: 1)
        let data = try DecodedImageCache.load(scan, settings: settings, cacheFile: cache) { done, total in
            steps.add(done, total)
        }
        XCTAssertEqual(data.train.count + data.test.count, 7)
        XCTAssertEqual(steps.entries.map(\.done), Array(1...7))
        XCTAssertTrue(steps.entries.allSatisfy { $0.total == 7 })
    }
}

extension ImageFolderTests {
    /// Options that carry a progress callback report the survey and then the decoding of every file, so the
    /// command line can draw a first run's long decode.
    func testOptionsReportTheSurveyAndTheDecodeOfEveryFile() throws {
        let root = TemporaryFolder()
        for i in 0..<5 { Self.put(root, "c\(i % 2)/\(i).png", Self.png(4, 4, value: UInt8(i))) }
        let steps = StepLog()
        var options = ImageFolderOptions(testShare: 0.4)
        options.progress = { done, total in steps.add(done, total) }
        XCTAssertEqual(options, ImageFolderOptions(testShare: 0.4), "progress is not part of the options' identity")
        let data = try options.load(root.path)
        defer { try? FileManager.default.removeItem(atPath: DecodedImageCache.folder(for: root.path)) }
        XCTAssertEqual(data.train.count + data.test.count, 5)
        // Both passes (survey, then the cache) count every file.
        XCTAssertEqual(steps.entries.filter { $0.done == 5 }.count, 2)
        XCTAssertTrue(steps.entries.allSatisfy { $0.total == 5 })
    }
}

/// Progress reports collected from any thread.
final class StepLog: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var entries: [(done: Int, total: Int)] = []

    func add(_ done: Int, _ total: Int) {
        lock.lock()
        entries.append((done, total))
        lock.unlock()
    }
}
