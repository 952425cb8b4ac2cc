/// Makes text a peer chose (host names, FAILED texts, job ids, error details) safe for a log line or a
/// terminal: control characters, escape sequences and bidirectional overrides cannot move the cursor,
/// recolour the screen or fake a second line.
public enum PeerText {
    /// `text` with every control or formatting character written as `\u{XX}` (a backslash doubled), cut
    /// to `limit` characters.
    public static func escaped(_ text: String, limit: Int = 512) -> String {
        var out = ""
        var count = 0
        for scalar in text.unicodeScalars {
            if count >= limit { return out + "…" }
            count += 1
            if scalar == "\\" {
                out += "\\\\"
            } else if isUnsafe(scalar) {
                out += "\\u{" + String(scalar.value, radix: 16) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// C0 and C1 controls, DEL, and the Unicode format characters that reorder or hide text.
    private static func isUnsafe(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0..<0x20, 0x7F...0x9F: return true
        case 0x200B...0x200F, 0x202A...0x202E, 0x2066...0x2069, 0xFEFF: return true
        default: return false
        }
    }
}
