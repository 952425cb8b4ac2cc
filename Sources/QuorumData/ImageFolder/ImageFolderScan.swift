import Foundation
import QuorumCore

/// The image files of a class-folder data set, as torchvision's `ImageFolder` reads them: either
/// `train/CLASS/*` and `test/CLASS/*`, or `CLASS/*` alone, split by a seeded, stratified test share.
///
/// Class names are the folder names, sorted; files are chosen by extension (jpg, jpeg, png, pgm, in any case)
/// in class folders and their sub-folders, and listed in sorted path order. Hidden files and folders are
/// skipped, and symbolic links to folders are not followed, so a link loop cannot make the walk endless.
public struct ImageFolderScan: Sendable, Equatable {
    /// One image file: where it is, its class, and what identifies its version for the cache key.
    public struct Entry: Sendable, Equatable {
        /// The path relative to the folder, with `/` separators.
        public let path: String
        /// The class index, into `classNames`.
        public let label: Int
        /// The size in bytes.
        public let size: Int64
        /// The modification time, in nanoseconds since 1970.
        public let modified: Int64
    }

    /// How the folder is laid out.
    public enum Layout: Sendable, Equatable {
        /// `train/CLASS/*` and `test/CLASS/*`.
        case trainTest
        /// `CLASS/*`, split per class: `share` of each class's files (rounded) go to the test set, chosen by `seed`.
        case split(share: Double, seed: UInt64)
    }

    /// File extensions read, lowercase.
    public static let extensions: Set<String> = ["jpg", "jpeg", "png", "pgm"]

    /// The folder scanned.
    public let root: String
    /// How its files were divided.
    public let layout: Layout
    /// Class names, sorted; a label indexes this list.
    public let classNames: [String]
    /// Training images, in sorted path order.
    public let train: [Entry]
    /// Test images, in sorted path order.
    public let test: [Entry]

    /// All entries, training first.
    public var all: [Entry] { train + test }

    /// Scans `root`. With `train/` and `test/` folders the split is theirs; otherwise each class folder gives
    /// `testShare` of its files (rounded, at least one left for training) to the test set, drawn with `seed`.
    public static func scan(_ root: String, testShare: Double = 0.2, seed: UInt64 = 0) throws -> ImageFolderScan {
        guard testShare >= 0 && testShare < 1 else {
            throw ImageFolderError.badSettings(reason: "test share \(testShare), expected 0 <= share < 1")
        }
        let top = try folders(in: root)
        if top.contains("train") && top.contains("test") {
            let trainFolder = root + "/train", testFolder = root + "/test"
            let trainClasses = try classFiles(trainFolder, requireImages: true)
            let classNames = trainClasses.map(\.name)
            var test: [Entry] = []
            for (name, files) in try classFiles(testFolder, requireImages: false) {
                guard let label = classNames.firstIndex(of: name) else {
                    throw ImageFolderError.unknownTestClass(folder: root, className: name)
                }
                test += try entries(files, under: "test/\(name)", root: root, label: label)
            }
            var train: [Entry] = []
            for (label, (name, files)) in trainClasses.enumerated() {
                train += try entries(files, under: "train/\(name)", root: root, label: label)
            }
            return ImageFolderScan(
                root: root, layout: .trainTest, classNames: classNames,
                train: sortedByPath(train), test: sortedByPath(test))
        }
        let classes = try classFiles(root, requireImages: true)
        var train: [Entry] = [], test: [Entry] = []
        var rng = SeededGenerator(seed: seed, purpose: "image-folder-test-split")
        for (label, (name, files)) in classes.enumerated() {
            let all = try entries(files, under: name, root: root, label: label)
            let testCount = min(Int((testShare * Double(all.count)).rounded()), all.count - 1)
            let order = Shuffle.permutation(all.count, using: &rng)
            test += order.prefix(testCount).map { all[$0] }
            train += order.dropFirst(testCount).map { all[$0] }
        }
        return ImageFolderScan(
            root: root, layout: .split(share: testShare, seed: seed),
            classNames: classes.map(\.name),
            train: sortedByPath(train), test: sortedByPath(test))
    }

    /// Whether `root` looks like an image folder: one of its class folders (under `train/` when it has `train/`
    /// and `test/`) holds an image file, directly or in a sub-folder. The walk stops at the first such class.
    public static func looksLikeImageFolder(_ root: String) -> Bool {
        guard var top = try? folders(in: root) else { return false }
        var base = root
        if top.contains("train") && top.contains("test") {
            base = root + "/train"
            top = (try? folders(in: base)) ?? []
        }
        return top.contains { name in !((try? imageFiles(base + "/" + name)) ?? []).isEmpty }
    }

    /// Byte-wise path order, the same in every locale.
    static func sortedByPath(_ entries: [Entry]) -> [Entry] {
        entries.sorted { $0.path.utf8.lexicographicallyPrecedes($1.path.utf8) }
    }

    /// Visible sub-folder names of `folder` (symbolic links excluded), sorted byte-wise.
    static func folders(in folder: String) throws -> [String] {
        try listing(folder).filter { kind(folder + "/" + $0) == .folder }
    }

    /// For each class folder of `folder`, its name and its image files' paths relative to it, sorted by name.
    private static func classFiles(_ folder: String, requireImages: Bool) throws -> [(name: String, files: [String])] {
        var classes: [(name: String, files: [String])] = []
        for name in try folders(in: folder) {
            let files = try imageFiles(folder + "/" + name, prefix: "")
            if files.isEmpty && requireImages { throw ImageFolderError.emptyClass(folder: folder, className: name) }
            classes.append((name, files))
        }
        if classes.isEmpty && requireImages { throw ImageFolderError.noClasses(folder: folder) }
        return classes
    }

    /// Image files (by extension) under `folder`, recursively, as paths relative to it prefixed by `prefix`;
    /// hidden entries are skipped and folder links not followed.
    public static func imageFiles(_ folder: String, prefix: String = "") throws -> [String] {
        var found: [String] = []
        for name in try listing(folder) {
            let path = folder + "/" + name
            switch kind(path) {
            case .folder: found += try imageFiles(path, prefix: prefix + name + "/")
            case .file where extensions.contains((name as NSString).pathExtension.lowercased()):
                found.append(prefix + name)
            default: break
            }
        }
        return found
    }

    /// Entries for `files` (relative to `root/under`), with their sizes and modification times.
    private static func entries(_ files: [String], under: String, root: String, label: Int) throws -> [Entry] {
        try files.map { file in
            let relative = under + "/" + file
            var info = stat()
            guard stat(root + "/" + relative, &info) == 0 else {
                throw DataError.unreadable(file: root + "/" + relative, reason: String(cString: strerror(errno)))
            }
            let modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
            return Entry(path: relative, label: label, size: Int64(info.st_size), modified: modified)
        }
    }

    /// The visible names in `folder`, sorted byte-wise.
    private static func listing(_ folder: String) throws -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: folder)
                .filter { !$0.hasPrefix(".") }
                .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        } catch {
            throw DataError.unreadable(file: folder, reason: "cannot list the folder")
        }
    }

    private enum Kind { case folder, file, other }

    /// What `path` is; a symbolic link counts as the file it points to, never as a folder.
    private static func kind(_ path: String) -> Kind {
        var link = stat()
        guard lstat(path, &link) == 0 else { return .other }
        let isLink = (link.st_mode & S_IFMT) == S_IFLNK
        var info = stat()
        guard stat(path, &info) == 0 else { return .other }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: return isLink ? .other : .folder
        case S_IFREG: return .file
        default: return .other
        }
    }
}
