import Foundation
import XCTest
@testable import QuorumData

/// Image folders as `--data` values: detection, loading through the cache, a shipped cache, the adaptive and
/// stratified validation split, and bad files refused or skipped.
final class ImageFolderDataSpecTests: XCTestCase {
    /// `cat` (10 images), `dog` (5) and `emu` (1) grey PNGs; most are 4×4, two cats are 6×6.
    static func animals() -> TemporaryFolder {
        let root = TemporaryFolder()
        for (name, n) in [("cat", 10), ("dog", 5), ("emu", 1)] {
            for i in 0..<n {
                let side = name == "cat" && i < 2 ? 6 : 4
                ImageFolderTests.put(root, "\(name)/\(i).png", ImageFolderTests.png(side, side, value: UInt8(20 * i)))
            }
        }
        return root
    }

    func testAClassFolderTreeLoadsAsADataSetWithFolderNamesAndTheCommonSize() throws {
        let root = Self.animals()
        let spec = try DataSpec(parsing: root.path)
        XCTAssertTrue(spec.isImageFolder)
        let splits = try DataSource.load(spec, validationSize: 3, seed: 1, images: ImageFolderOptions(seed: 2))
        XCTAssertEqual(splits.train.classNames, ["cat", "dog", "emu"])
        XCTAssertEqual(splits.test.classNames, ["cat", "dog", "emu"])
        XCTAssertEqual(splits.train.imageShape, [4, 4, 1])  // the most common size, grey files
        XCTAssertEqual(splits.test.count, 3)  // 20 %: 2 cats, 1 dog, the single emu stays for training
        XCTAssertEqual(splits.validation.classCounts(), [2, 1, 0])  // stratified
        XCTAssertEqual(splits.train.classCounts(), [6, 3, 1])
        XCTAssertEqual(splits.train.name, "\(spec.name)/train")
        let cacheFolder = root.path + "/" + DecodedImageCache.folderName
        let kept = try FileManager.default.contentsOfDirectory(atPath: cacheFolder).sorted()
        XCTAssertEqual(kept.count, 2)
        XCTAssertEqual(kept.first, "images-4x4x1.qimg")
        XCTAssertTrue(kept[1].hasPrefix("survey-") && kept[1].hasSuffix(".json"), "\(kept)")
        let again = try DataSource.load(spec, validationSize: 3, seed: 1, images: ImageFolderOptions(seed: 2))
        XCTAssertEqual(again.train.pixels, splits.train.pixels)
        XCTAssertEqual(again.validation.labels, splits.validation.labels)
        let colour = try spec.loadAll(images: ImageFolderOptions(size: (5, 3), channels: 3, seed: 2))
        XCTAssertEqual(colour.train.imageShape, [5, 3, 3])
    }

    func testTheSurveyedDefaultsAreKeptForTheSameFilesOnly() throws {
        let root = Self.animals()
        let options = ImageFolderOptions()
        let first = try options.settings(for: options.scan(root.path))
        XCTAssertEqual(first.shape, [4, 4, 1])
        let folder = root.path + "/" + DecodedImageCache.folderName
        let survey = try XCTUnwrap(try FileManager.default.contentsOfDirectory(atPath: folder).first)
        // A kept file is what later runs read (altered here to tell it from a fresh survey) ...
        try Data(#"{"height":3,"width":5,"channels":3}"#.utf8).write(to: URL(fileURLWithPath: folder + "/" + survey))
        XCTAssertEqual(try options.settings(for: options.scan(root.path)).shape, [3, 5, 3])
        // ... until a file changes: then the folder is surveyed again.
        ImageFolderTests.put(root, "dog/9.png", ImageFolderTests.png(4, 4, value: 1))
        XCTAssertEqual(try options.settings(for: options.scan(root.path)).shape, [4, 4, 1])
    }

    func testAShippedCacheLoadsAsTheFolderDoesAndRefusesOtherSettings() throws {
        let root = Self.animals()
        let spec = try DataSpec(parsing: root.path)
        let options = ImageFolderOptions(size: (4, 4), channels: 1, seed: 5)
        let original = try spec.loadAll(images: options)
        let settings = try ImageFolderSettings(height: 4, width: 4, channels: 1)
        let shipped = TemporaryFolder()
        try FileManager.default.copyItem(
            atPath: DecodedImageCache.file(for: root.path, settings: settings),
            toPath: shipped.path + "/" + DecodedImageCache.shippedName)
        let copy = DataSpec.folder(path: shipped.path)
        XCTAssertTrue(copy.isImageFolder)
        XCTAssertEqual(try copy.locate().files.map(\.name), [DecodedImageCache.shippedName])
        let loaded = try spec.loadAll(from: copy, images: options)
        XCTAssertEqual(loaded.train.pixels, original.train.pixels)
        XCTAssertEqual(loaded.test.labels, original.test.labels)
        XCTAssertEqual(loaded.train.classNames, ["cat", "dog", "emu"])
        XCTAssertEqual(loaded.train.name, "\(spec.name)/train")
        XCTAssertThrowsError(try spec.loadAll(from: copy, images: ImageFolderOptions(size: (4, 4), channels: 3))) {
            XCTAssertTrue("\($0)".contains("3"), "\($0)")
        }
    }

    func testDefaultValidationSizeIsATenthCappedAndCoversEveryClass() {
        XCTAssertEqual(ValidationSplit.defaultSize(classCounts: [Int](repeating: 6000, count: 10)), 5000)
        XCTAssertEqual(ValidationSplit.defaultSize(classCounts: [Int](repeating: 3000, count: 10)), 3000)
        XCTAssertEqual(
            ValidationSplit.defaultSize(classCounts: [140, 140, 139, 140, 140, 140, 139, 140, 139, 140]), 139)
        XCTAssertEqual(ValidationSplit.defaultSize(classCounts: [10, 5, 1]), 2)  // one per class with two or more
        XCTAssertEqual(ValidationSplit.defaultSize(classCounts: [1, 1]), 0)
    }

    func testStratifiedQuotasFollowTheClassSharesAndLeaveOneForTraining() {
        XCTAssertEqual(ValidationSplit.quotas(counts: [10, 5, 1], size: 3), [2, 1, 0])
        XCTAssertEqual(ValidationSplit.quotas(counts: [100, 2, 2], size: 10), [8, 1, 1])
        XCTAssertEqual(ValidationSplit.quotas(counts: [3, 3], size: 10), [2, 2])  // all that can be held out
        XCTAssertEqual(ValidationSplit.quotas(counts: [50, 30, 20], size: 10), [5, 3, 2])
        let labels: [Int32] = [0, 1, 0, 0, 1, 2, 0, 1]
        let held = ValidationSplit.stratified(labels: labels, size: 3, seed: 9)
        XCTAssertEqual(held, ValidationSplit.stratified(labels: labels, size: 3, seed: 9))
        let heldLabels = zip(labels, held).filter { $0.1 }.map(\.0).sorted()
        XCTAssertEqual(heldLabels, [0, 0, 1])
    }

    func testAThinClassGetsAWarning() throws {
        let root = Self.animals()
        let splits = try DataSource.load(
            try DataSpec(parsing: root.path), validationSize: 3, seed: 1,
            images: ImageFolderOptions(seed: 2))
        let warnings = ValidationSplit.warnings(splits)
        XCTAssertEqual(warnings.count, 1)
        XCTAssertTrue(warnings[0].contains("'emu' has 1 training image"), warnings[0])
    }

    func testUnreadableFilesAreRefusedWithReasonsOrSkippedAndListed() throws {
        let root = Self.animals()
        ImageFolderTests.put(root, "dog/empty.png", [])
        ImageFolderTests.put(root, "cat/cut.jpg", Array(try ImageFolderTests.jpegFixture("grey.jpg").prefix(40)))
        let spec = try DataSpec(parsing: root.path)
        XCTAssertThrowsError(try DataSource.load(spec, validationSize: 0, seed: 1)) { error in
            guard case let ImageFolderError.badFiles(_, files, count) = error else {
                return XCTFail("\(error)")
            }
            XCTAssertEqual(count, 2)
            XCTAssertEqual(Set(files.map(\.path)), ["dog/empty.png", "cat/cut.jpg"])
            XCTAssertTrue("\(error)".contains("2 unreadable image files"), "\(error)")
        }
        let skipped = try DataSource.load(
            spec, validationSize: 0, seed: 1, images: ImageFolderOptions(testShare: 0, skipBadFiles: true))
        XCTAssertEqual(Set(skipped.skipped.map(\.path)), ["dog/empty.png", "cat/cut.jpg"])
        XCTAssertEqual(skipped.train.count, 16)
    }
}
