import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// CURVE keys on disk: `NAME.key` holds the secret key (mode 0600), `NAME.pub` the public key, each as one
/// line of 40 Z85 characters after an optional `#` comment. A coordinator's authorized keys folder holds
/// the workers' `*.pub` files.
public enum KeyFiles {
    /// Writes `pair` as `folder/name.key` (0600, never overwritten) and `folder/name.pub`; returns both paths.
    @discardableResult
    public static func write(_ pair: CurveKeyPair, to folder: URL, name: String) throws -> (secret: URL, public: URL) {
        do { try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true) } catch {
            throw KeyFileError.io(path: folder.path, reason: "cannot create the folder: \(error)")
        }
        let secret = folder.appendingPathComponent("\(name).key")
        let pub = folder.appendingPathComponent("\(name).pub")
        for url in [secret, pub] where FileManager.default.fileExists(atPath: url.path) {
            throw KeyFileError.exists(path: url.path)
        }
        // Created with 0600 from the start (O_EXCL), so the secret is never readable by others, even briefly.
        let fd = open(secret.path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw KeyFileError.io(path: secret.path, reason: String(cString: strerror(errno))) }
        let text = "# Quorum CURVE secret key (Z85). Keep private.\n\(pair.secretKey)\n"
        let written = text.withCString { Glibc.write(fd, $0, strlen($0)) }
        close(fd)
        guard written == text.utf8.count else { throw KeyFileError.io(path: secret.path, reason: "short write") }
        do {
            try Data("# Quorum CURVE public key (Z85)\n\(pair.publicKey)\n".utf8).write(to: pub)
        } catch {
            throw KeyFileError.io(path: pub.path, reason: "cannot write: \(error)")
        }
        return (secret, pub)
    }

    /// The key pair of a secret key file; refuses a file that group or others may read.
    public static func readSecret(_ path: String) throws -> CurveKeyPair {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw KeyFileError.io(path: path, reason: String(cString: strerror(errno)))
        }
        let mode = UInt16(info.st_mode & 0o777)
        if mode & 0o077 != 0 { throw KeyFileError.tooOpen(path: path, mode: mode) }
        let key = try readKey(path)
        do { return try CurveKeyPair(secretKey: key) } catch {
            throw KeyFileError.malformed(path: path, reason: "\(error)")
        }
    }

    /// The public key in a `.pub` file.
    public static func readPublic(_ path: String) throws -> String { try readKey(path) }

    /// Every public key in the `*.pub` files of `folder`, sorted by file name.
    public static func readAuthorized(_ folder: String) throws -> [String] {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: folder) } catch {
            throw KeyFileError.io(path: folder, reason: "cannot list the authorized keys folder: \(error)")
        }
        let files = names.filter { $0.hasSuffix(".pub") }.sorted()
        guard !files.isEmpty else { throw KeyFileError.noKeys(folder: folder) }
        return try files.map { try readKey((folder as NSString).appendingPathComponent($0)) }
    }

    private static func readKey(_ path: String) throws -> String {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw KeyFileError.io(path: path, reason: "cannot read: \(error)")
        }
        let lines = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        guard lines.count == 1, let key = lines.first else {
            throw KeyFileError.malformed(path: path, reason: "found \(lines.count) key line(s)")
        }
        guard key.utf8.count == 40, (try? Z85.decode(key)) != nil else {
            throw KeyFileError.malformed(path: path, reason: "the key line is not 40 Z85 characters")
        }
        return key
    }
}
