import Foundation
import QuorumData

/// The files `quorum vote --input` names: files as given, folders walked recursively for JPEG, PNG and PGM
/// files (hidden entries skipped, folder links not followed, sorted by path), each found file labelled by the
/// class folder it sits in when that folder's name is one of the ensemble's classes.
public enum InputFolder {
    /// One input: its path and, for a file found in a class folder, the class index.
    public struct Item: Sendable, Equatable {
        /// The file's path.
        public let path: String
        /// The class of the folder directly under the walked folder that holds it, when it names a class.
        public let label: Int32?
    }

    /// The inputs `paths` name, in order; each folder contributes its image files in sorted order.
    /// Throws `InferenceError.emptyFolder` for a folder without image files.
    public static func expand(_ paths: [String], classNames: [String]) throws -> [Item] {
        var items: [Item] = []
        for path in paths {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue else {
                items.append(Item(path: path, label: nil))
                continue
            }
            let files = try ImageFolderScan.imageFiles(path, prefix: "")
            guard !files.isEmpty else { throw InferenceError.emptyFolder(folder: path) }
            for file in files.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
                let parts = file.split(separator: "/", maxSplits: 1)
                let label = parts.count == 2 ? classNames.firstIndex(of: String(parts[0])).map(Int32.init) : nil
                items.append(Item(path: (path as NSString).appendingPathComponent(file), label: label))
            }
        }
        return items
    }
}
