import Foundation

/// Reads a whole data file, decompressing it when its content is gzip.
public enum FileBytes {
    /// The file's bytes, gunzipped when they start with the gzip magic. Empty files are an error, and so is
    /// a file holding, or decompressing to, more than `limit` bytes.
    public static func read(_ path: String, limit: Int = ReaderLimits.dataFileBytes) throws -> [UInt8] {
        let raw = try readRaw(path, limit: limit)
        if raw.isEmpty { throw DataError.emptyFile(file: path) }
        if Gzip.isGzip(raw) {
            let bytes = try Gzip.decompress(raw, file: path, limit: limit)
            if bytes.isEmpty { throw DataError.emptyFile(file: path) }
            return bytes
        }
        return raw
    }

    /// The file's bytes as stored; a file over `limit` bytes is refused before it is read.
    public static func readRaw(_ path: String, limit: Int = ReaderLimits.dataFileBytes) throws -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DataError.unreadable(file: path, reason: "no such file")
        }
        if isDirectory.boolValue { throw DataError.unreadable(file: path, reason: "it is a directory") }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw DataError.unreadable(file: path, reason: "permission denied or not a regular file")
        }
        defer { try? handle.close() }
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber,
            size.int64Value > Int64(limit)
        {
            throw DataError.tooLarge(file: path, what: "the file (\(size.int64Value) bytes)", limit: limit)
        }
        do {
            let data = try handle.readToEnd() ?? Data()
            return [UInt8](data)
        } catch {
            throw DataError.unreadable(file: path, reason: "\(error)")
        }
    }
}
