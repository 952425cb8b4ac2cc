/// The rule for file names inside a shipped data set: relative paths that stay inside the data set's
/// folder, so a hostile coordinator cannot make a worker write elsewhere.
enum DataFileName {
    /// Throws unless `name` is a relative path of plain components (no `.`, `..`, empty parts, backslashes or NULs).
    static func check(_ name: String, _ field: String, _ check: FieldValidator) throws {
        try check.text(name, field)
        let parts = name.split(separator: "/", omittingEmptySubsequences: false)
        if name.hasPrefix("/") || parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." })
            || name.contains("\\") || name.utf8.contains(0) {
            throw check.fail(field, "must be a relative path inside the data set folder, got \"\(name.prefix(80))\"")
        }
    }
}
