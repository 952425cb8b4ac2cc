import Crypto
import Foundation
import QuorumCore

/// How an image folder's files become a data set's bytes: every image is resized to `height × width` and
/// converted to `channels` (1 or 3).
public struct ImageFolderSettings: Sendable, Equatable {
    /// Output height in pixels.
    public let height: Int
    /// Output width in pixels.
    public let width: Int
    /// Output channels: 1 (grey) or 3 (RGB).
    public let channels: Int
    /// Whether unreadable files are left out (and listed) rather than refused.
    public let skipBadFiles: Bool

    /// Checked settings.
    public init(height: Int, width: Int, channels: Int, skipBadFiles: Bool = false) throws {
        guard channels == 1 || channels == 3 else {
            throw ImageFolderError.badSettings(reason: "\(channels) channels, expected 1 or 3")
        }
        _ = try ReaderLimits.imageBytes(height: height, width: width, channels: channels, file: "--image-size")
        self.height = height
        self.width = width
        self.channels = channels
        self.skipBadFiles = skipBadFiles
    }

    /// One image's shape, `[H, W, C]`.
    public var shape: [Int] { [height, width, channels] }
}

/// An image folder as training and test sets, with the files left out and where the bytes came from.
public struct ImageFolderData: Sendable {
    /// The training images (validation is cut from these later, like any data set's).
    public let train: Dataset
    /// The test images.
    public let test: Dataset
    /// Files left out because they cannot be decoded (only with `skipBadFiles`).
    public let skipped: [BadImageFile]
    /// The cache key: SHA-256 of the sorted file list (path, size, mtime), the layout and the settings.
    public let key: String
    /// Whether the cache file was reused rather than built.
    public let reused: Bool
}

/// One file holding every image of a folder, decoded, resized and converted, so that later runs and workers
/// read one array instead of thousands of small files.
///
/// Layout (little-endian): magic `QIMGCACH`, version (UInt32), header length (UInt64), then the header: the
/// key (64 hex digits), image and training counts (UInt64), H, W, C (UInt32), the class names and the skipped
/// files (UInt32 counts, strings as UInt32 length + UTF-8), one Int32 label per image; then the pixels, training
/// images first, `count × H × W × C` bytes. Reading checks every count and length against the file's size and
/// the reader limits before anything is allocated by it.
public enum DecodedImageCache {
    /// The first eight bytes of a cache file.
    public static let magic: [UInt8] = Array("QIMGCACH".utf8)
    /// The format version this code writes and reads.
    public static let version: UInt32 = 1
    /// The largest header accepted: labels of 2^26 images and their class names fit easily.
    static let headerLimit = 1 << 30

    /// The data set of `scan` with `settings`: read from `cacheFile` when its key matches, else decoded on all
    /// cores and written there (atomically, replacing a stale or damaged cache). `progress(done, total)` follows
    /// the decoding, from any thread.
    public static func load(
        _ scan: ImageFolderScan, settings: ImageFolderSettings, cacheFile: String,
        progress: (@Sendable (Int, Int) -> Void)? = nil
    ) throws -> ImageFolderData {
        let key = self.key(scan, settings: settings)
        if FileManager.default.fileExists(atPath: cacheFile), let cached = try? read(cacheFile, name: name(scan)),
            cached.key == key, cached.train.imageShape == settings.shape
        {
            return cached
        }
        let built = try build(scan, settings: settings, key: key, progress: progress)
        try write(built, to: cacheFile)
        return built
    }

    /// The cache key: SHA-256 of the format version, the settings, the layout and every file's
    /// (relative path, size, mtime), in sorted path order.
    public static func key(_ scan: ImageFolderScan, settings: ImageFolderSettings) -> String {
        var sha = SHA256()
        var text = "quorum decoded-image cache \(version)\n"
        text += "shape \(settings.height) \(settings.width) \(settings.channels) skip-bad \(settings.skipBadFiles)\n"
        switch scan.layout {
        case .trainTest: text += "layout train-test\n"
        case let .split(share, seed): text += "layout split \(share) \(seed)\n"
        }
        sha.update(Array(text.utf8))
        for entry in ImageFolderScan.sortedByPath(scan.all) {
            sha.update(Array("\(entry.path)\0\(entry.size)\0\(entry.modified)\n".utf8))
        }
        return sha.hexDigest()
    }

    /// Decodes every file of `scan` (all cores; each image lands at its own index, so the bytes do not depend
    /// on the thread count). Unreadable files are refused, or left out with `skipBadFiles`.
    static func build(
        _ scan: ImageFolderScan, settings: ImageFolderSettings, key: String,
        progress: (@Sendable (Int, Int) -> Void)?
    ) throws -> ImageFolderData {
        let counter = ProgressCounter(total: scan.train.count + scan.test.count, report: progress)
        let (allTrain, trainBad) = decodeAll(scan.train, root: scan.root, settings: settings, counter: counter)
        let (allTest, testBad) = decodeAll(scan.test, root: scan.root, settings: settings, counter: counter)
        let bad = trainBad.map(\.file) + testBad.map(\.file)
        if !bad.isEmpty && !settings.skipBadFiles {
            throw ImageFolderError.badFiles(
                folder: scan.root, files: Array(bad.prefix(ImageFolderError.listed)),
                count: bad.count)
        }
        let train = allTrain.subset(keeping: Set(trainBad.map(\.index)))
        let test = allTest.subset(keeping: Set(testBad.map(\.index)))
        let folder = name(scan)
        return ImageFolderData(
            train: Dataset(
                name: folder + "/train", imageShape: settings.shape, pixels: train.pixels,
                labels: train.labels, classNames: scan.classNames),
            test: Dataset(
                name: folder + "/test", imageShape: settings.shape, pixels: test.pixels,
                labels: test.labels, classNames: scan.classNames),
            skipped: bad, key: key, reused: false)
    }

    /// The data sets' name: the folder's last path component.
    static func name(_ scan: ImageFolderScan) -> String {
        let last = (scan.root as NSString).lastPathComponent
        return last.isEmpty ? "images" : last
    }

    /// The images of `entries` as a data set, and the files that failed (their slots hold zeros).
    static func decodeAll(
        _ entries: [ImageFolderScan.Entry], root: String, settings: ImageFolderSettings,
        counter: ProgressCounter?
    ) -> (PendingSet, [(index: Int, file: BadImageFile)]) {
        let size = settings.height * settings.width * settings.channels
        var pixels = [UInt8](repeating: 0, count: entries.count * size)
        var failures = [String?](repeating: nil, count: entries.count)
        pixels.withUnsafeMutableBufferPointer { out in
            failures.withUnsafeMutableBufferPointer { failureOut in
                ImageFileDecoder.concurrentForEach(entries.count) { i, decompressor in
                    let path = root + "/" + entries[i].path
                    let slot = UnsafeMutableBufferPointer(rebasing: out[(i * size)..<((i + 1) * size)])
                    do {
                        try ImageFileDecoder.decode(
                            path: path, shape: settings.shape, into: slot,
                            decompressor: decompressor)
                    } catch {
                        failureOut[i] = ImageFolderSurvey.reason(error, path: path)
                    }
                    counter?.step()
                }
            }
        }
        let bad = failures.enumerated().compactMap { i, failure in
            failure.map { (index: i, file: BadImageFile(path: entries[i].path, reason: $0)) }
        }
        return (PendingSet(pixels: pixels, labels: entries.map { Int32($0.label) }, imageSize: size), bad)
    }
}

/// Decoded images and labels before they become a `Dataset` (bad files still in place).
struct PendingSet {
    var pixels: [UInt8]
    var labels: [Int32]
    let imageSize: Int

    /// The images whose indices are not in `dropped`, in order.
    func subset(keeping dropped: Set<Int>) -> PendingSet {
        guard !dropped.isEmpty else { return self }
        var kept = PendingSet(pixels: [], labels: [], imageSize: imageSize)
        for i in labels.indices where !dropped.contains(i) {
            kept.pixels += pixels[(i * imageSize)..<((i + 1) * imageSize)]
            kept.labels.append(labels[i])
        }
        return kept
    }
}
