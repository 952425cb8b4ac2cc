/// The rule for file names inside a shipped data set: one plain name in the data set's folder, so a hostile
/// coordinator can neither make a worker write elsewhere nor overwrite the folder's `SHA256SUMS`, and
/// nothing a name holds can break a log line or a `sha256sum -c` listing.
enum DataFileName {
    /// The name the cache writes last into a complete data set folder.
    static let reserved = "SHA256SUMS"

    /// Throws unless `name` is a plain file name: at most 255 bytes, not `.`, `..`, `SHA256SUMS` or a name
    /// starting with a dot, and without `/`, `\` or control characters (NUL, newline, escape, ...).
    static func check(_ name: String, _ field: String, _ check: FieldValidator) throws {
        try check.text(name, field, maxBytes: 255)
        let shown = "\"\(PeerText.escaped(name, limit: 80))\""
        if name.contains("/") || name.contains("\\") {
            throw check.fail(field, "must be a plain file name without / or \\, got \(shown)")
        }
        if PeerText.hasControlCharacters(name) {
            throw check.fail(field, "must not hold control characters, got \(shown)")
        }
        if name.hasPrefix(".") || name == reserved {
            throw check.fail(field, "must not start with a dot or be \(reserved), got \(shown)")
        }
    }

    /// Throws unless `name` (a data set name) is free of control characters.
    static func checkDataset(_ name: String, _ field: String, _ check: FieldValidator) throws {
        try check.text(name, field, maxBytes: check.limits.maxErrorBytes)
        if PeerText.hasControlCharacters(name) {
            throw check.fail(field, "must not hold control characters, got \"\(PeerText.escaped(name, limit: 80))\"")
        }
    }
}
