import Foundation

/// Why an ensemble folder could not be read or written. Each message names the file.
public enum ManifestError: Error, CustomStringConvertible {
    /// The folder has no `ensemble.json`.
    case missingManifest(path: String)
    /// `ensemble.json` exists but is not a manifest; `reason` is the decoder's or the system's explanation.
    case unreadable(path: String, reason: String)
    /// The manifest was written by a format this build does not know.
    case unsupportedVersion(path: String, found: Int, supported: Int)
    /// A member's model file named in the manifest is not in the folder.
    case missingMemberFile(path: String, member: String, file: String)
    /// A field holds a value the manifest does not allow.
    case invalidField(path: String, field: String, expected: String, found: String)
    /// The manifest could not be written.
    case unwritable(path: String, reason: String)

    /// A message naming the file, the field and what was expected.
    public var description: String {
        switch self {
        case let .missingManifest(path):
            return "\(path): no ensemble manifest; expected the folder written by training or `quorum local`"
        case let .unreadable(path, reason):
            return "\(path): not a readable ensemble manifest: \(reason)"
        case let .unsupportedVersion(path, found, supported):
            return "\(path): format_version \(found) is not supported; this build reads version \(supported)"
        case let .missingMemberFile(path, member, file):
            return "\(path): member '\(member)' names model file '\(file)', which is missing from the folder"
        case let .invalidField(path, field, expected, found):
            return "\(path): field \(field): expected \(expected), found \(found)"
        case let .unwritable(path, reason):
            return "\(path): could not write the ensemble manifest: \(reason)"
        }
    }
}
