import Foundation

/// Measures how deeply a JSON text nests arrays and objects, without parsing it.
///
/// Foundation's parsers refuse very deep nesting with an error that callers tend to report as "not JSON";
/// measuring first lets a reader say what is actually wrong, and bound the work before parsing.
public enum JSONNesting {
    /// The deepest level of `[` / `{` in `bytes`, ignoring brackets inside strings. Stops counting once
    /// `limit` is passed and returns `limit + 1`, so hostile input costs one pass at most.
    public static func depth<C: Collection>(of bytes: C, limit: Int = Int.max - 1) -> Int where C.Element == UInt8 {
        var depth = 0, deepest = 0
        var inString = false, escaped = false
        for byte in bytes {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""): inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > deepest {
                    deepest = depth
                    if deepest > limit { return limit + 1 }
                }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth -= 1
            default: break
            }
        }
        return deepest
    }

    /// A sentence saying why `bytes` nest too deeply, or nil when they stay within `limit` levels.
    public static func problem<C: Collection>(_ bytes: C, limit: Int) -> String? where C.Element == UInt8 {
        guard depth(of: bytes, limit: limit) > limit else { return nil }
        return "it nests arrays and objects more than \(limit) levels deep"
    }
}
