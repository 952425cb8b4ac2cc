import Crypto
import Foundation
import QuorumCore

/// What a run asks of an image-folder data set: the image size and channel count (nil: the folder's most
/// common size, and colour when any file is in colour), the test share and seed for a folder without
/// `train/` and `test/`, and whether unreadable files are left out. Jobs carry these as config fields, so every
/// worker builds the same images.
public struct ImageFolderOptions: Sendable, Equatable {
    /// Output height and width, or nil for the most common size in the folder.
    public var size: (height: Int, width: Int)?
    /// 1 or 3, or nil for the files' own (3 when any file is in colour).
    public var channels: Int?
    /// The share of each class held out as the test set when the folder has no `train/` and `test/`.
    public var testShare: Double
    /// The seed of that test split.
    public var seed: UInt64
    /// Whether unreadable files are left out (and listed) rather than refused.
    public var skipBadFiles: Bool
    /// Told `(done, total)` while the files are decoded (the survey, then the cache), from any thread; not part
    /// of the options' identity.
    public var progress: (@Sendable (_ done: Int, _ total: Int) -> Void)?

    /// The default test share: one image in five, as scikit-learn's and Keras' examples hold out.
    public static let defaultTestShare = 0.2

    /// Options; nil size and channels are found from the files when the folder is loaded.
    public init(
        size: (height: Int, width: Int)? = nil, channels: Int? = nil, testShare: Double = defaultTestShare,
        seed: UInt64 = 0, skipBadFiles: Bool = false
    ) {
        self.size = size
        self.channels = channels
        self.testShare = testShare
        self.seed = seed
        self.skipBadFiles = skipBadFiles
    }

    /// The folder's files, split as these options say.
    public func scan(_ root: String) throws -> ImageFolderScan {
        try ImageFolderScan.scan(root, testShare: testShare, seed: seed)
    }

    /// The settings for `scan`: the given size and channels, the rest surveyed from its files. Every file is
    /// decoded once for that; the defaults found are kept beside the cache (`SurveyDefaults`) for the same files,
    /// so later runs skip the survey, as does giving both size and channels.
    public func settings(for scan: ImageFolderScan) throws -> ImageFolderSettings {
        if let size, let channels {
            return try ImageFolderSettings(
                height: size.height, width: size.width, channels: channels, skipBadFiles: skipBadFiles)
        }
        let defaults = try SurveyDefaults.load(scan, progress: progress)
        let common = size ?? (defaults.height, defaults.width)
        return try ImageFolderSettings(
            height: common.height, width: common.width, channels: channels ?? defaults.channels,
            skipBadFiles: skipBadFiles)
    }

    /// Loads the folder through its decoded cache (`DecodedImageCache.file(for:settings:)`), decoding and
    /// writing it first when it is missing or stale.
    public func load(_ root: String, progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> ImageFolderData {
        try loadCached(root, progress: progress ?? self.progress).data
    }

    /// Like `load`, and also says which cache file holds the data (what ships to a worker without the folder).
    public func loadCached(
        _ root: String, progress: (@Sendable (Int, Int) -> Void)? = nil
    ) throws -> (data: ImageFolderData, file: String) {
        let scan = try scan(root)
        let settings = try settings(for: scan)
        let file = DecodedImageCache.file(for: root, settings: settings)
        let report = progress ?? self.progress
        return (try DecodedImageCache.load(scan, settings: settings, cacheFile: file, progress: report), file)
    }

    public static func == (a: ImageFolderOptions, b: ImageFolderOptions) -> Bool {
        a.size?.height == b.size?.height && a.size?.width == b.size?.width && a.channels == b.channels
            && a.testShare == b.testShare && a.seed == b.seed && a.skipBadFiles == b.skipBadFiles
    }
}

extension DecodedImageCache {
    /// The name a cache file ships under; a folder holding it is read as the data set it caches.
    public static let shippedName = "decoded-images.qimg"
    /// The hidden folder, inside the image folder, that holds its cache files (the scan skips hidden folders).
    public static let folderName = ".quorum-cache"

    /// Where the cache of `root` with `settings` lives: `root/.quorum-cache/images-HxWxC.qimg` (`-skip` added
    /// when bad files are left out), or, when that folder cannot be written, the same name under
    /// `$XDG_CACHE_HOME/quorum/images/ID` (default `~/.cache`), ID being a hash of the folder's absolute path.
    public static func file(for root: String, settings: ImageFolderSettings) -> String {
        let name =
            "images-\(settings.height)x\(settings.width)x\(settings.channels)"
            + (settings.skipBadFiles ? "-skip" : "") + ".qimg"
        return (folder(for: root) as NSString).appendingPathComponent(name)
    }

    /// The folder that holds `root`'s cache files (see `file(for:settings:)`), created when missing.
    static func folder(for root: String) -> String {
        let local = (root as NSString).appendingPathComponent(folderName)
        if isWritableFolder(local) { return local }
        let environment = ProcessInfo.processInfo.environment
        let base = environment["XDG_CACHE_HOME"] ?? (NSHomeDirectory() as NSString).appendingPathComponent(".cache")
        let absolute = URL(fileURLWithPath: root).standardizedFileURL.path
        let id = String(SHA256.hex(Array(absolute.utf8)).prefix(16))
        let user = ((base as NSString).appendingPathComponent("quorum/images") as NSString).appendingPathComponent(id)
        _ = isWritableFolder(user)
        return user
    }

    /// Creates `folder` when missing and says whether files can be written in it.
    private static func isWritableFolder(_ folder: String) -> Bool {
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return access(folder, W_OK) == 0
    }
}

/// The survey's defaults (most common size, channels) for one version of a folder's files, kept as a small JSON
/// file beside the cache (`survey-KEY.json`, KEY from every file's path, size and modification time), so that only
/// the first run without `--image-size` and `--channels` decodes every file to find them.
struct SurveyDefaults: Codable, Equatable {
    let height: Int
    let width: Int
    let channels: Int

    /// The defaults for `scan`'s files: read when kept, else surveyed (refusing a folder with no readable file)
    /// and kept.
    static func load(_ scan: ImageFolderScan, progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> SurveyDefaults
    {
        var sha = SHA256()
        sha.update(Array("quorum image survey 1\n".utf8))
        for entry in ImageFolderScan.sortedByPath(scan.all) {
            sha.update(Array("\(entry.path)\0\(entry.size)\0\(entry.modified)\n".utf8))
        }
        let file = (DecodedImageCache.folder(for: scan.root) as NSString)
            .appendingPathComponent("survey-\(sha.hexDigest().prefix(32)).json")
        if let bytes = FileManager.default.contents(atPath: file),
            let kept = try? JSONCoding.decoder().decode(SurveyDefaults.self, from: bytes),
            (try? ImageFolderSettings(height: kept.height, width: kept.width, channels: kept.channels)) != nil
        {
            return kept
        }
        let survey = ImageFolderSurvey.survey(scan, progress: progress)
        guard let common = survey.commonSize else {
            throw ImageFolderError.badFiles(
                folder: scan.root, files: Array(survey.badFiles.prefix(ImageFolderError.listed)),
                count: survey.badFiles.count)
        }
        let found = SurveyDefaults(height: common.height, width: common.width, channels: survey.channels)
        // Keeping it is an optimisation only: a folder that cannot be written is surveyed again next time.
        try? JSONCoding.encoder().encode(found).write(to: URL(fileURLWithPath: file), options: .atomic)
        return found
    }
}
