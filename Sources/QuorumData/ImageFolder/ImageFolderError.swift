/// Why an image folder cannot be used as a data set. Every message names the folder or file and the problem.
public enum ImageFolderError: Error, CustomStringConvertible, Equatable {
    /// The folder holds no class folder with an image in it.
    case noClasses(folder: String)
    /// A class folder holds no image file (JPEG, PNG or PGM by extension).
    case emptyClass(folder: String, className: String)
    /// The test folder names a class the training folder does not have.
    case unknownTestClass(folder: String, className: String)
    /// Some files cannot be decoded; `files` holds up to `ImageFolderError.listed` of them with reasons.
    case badFiles(folder: String, files: [BadImageFile], count: Int)
    /// The settings cannot be used (a zero size, a channel count other than 1 or 3, a share outside 0..<1).
    case badSettings(reason: String)
    /// A cache file is malformed or does not match what it claims to hold.
    case badCache(file: String, reason: String)

    /// How many bad files an error lists.
    public static let listed = 20

    /// A message naming the folder or file and what was expected.
    public var description: String {
        switch self {
        case let .noClasses(folder):
            return "\(folder): no class folders with images (expected CLASS/* or train/CLASS/* and test/CLASS/*)"
        case let .emptyClass(folder, className):
            return "\(folder): class folder '\(className)' holds no .jpg, .jpeg, .png or .pgm file"
        case let .unknownTestClass(folder, className):
            return "\(folder): test class '\(className)' has no folder under train/"
        case let .badFiles(folder, files, count):
            let lines = files.prefix(Self.listed).map { "  \($0.path): \($0.reason)" }
            let more = count > lines.count ? "\n  ... and \(count - lines.count) more" : ""
            let heading = "\(folder): \(count) unreadable image file\(count == 1 ? "" : "s"):\n"
            return heading + lines.joined(separator: "\n") + more
        case let .badSettings(reason):
            return "image folder settings: \(reason)"
        case let .badCache(file, reason):
            return "\(file): not a usable decoded-image cache: \(reason)"
        }
    }
}

/// One file of an image folder that cannot be decoded, with the reason.
public struct BadImageFile: Sendable, Equatable, Codable {
    /// The file's path relative to the image folder.
    public let path: String
    /// Why it cannot be read: zero bytes, truncated JPEG, unsupported PNG type, ...
    public let reason: String

    /// A bad file and its reason.
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
}

extension BadImageFile {
    /// The text of a skipped-file list: one `PATH: REASON` line per file.
    public static func listText(_ files: [BadImageFile]) -> String {
        files.map { "\($0.path): \($0.reason)\n" }.joined()
    }
}
