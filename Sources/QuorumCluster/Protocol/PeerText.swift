/// Text a peer sent, made safe for a log line or a terminal: control characters (C0, DEL and C1, which
/// include the escape that starts terminal sequences, carriage return, newline and NUL) are written as
/// `\u{XX}` escapes, and the text is cut at a length fit for one line.
public enum PeerText {
    /// Whether `scalar` is a C0 or C1 control character or DEL.
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    /// Whether `text` holds any control character.
    public static func hasControlCharacters(_ text: String) -> Bool { text.unicodeScalars.contains(where: isControl) }

    /// `text` with every control character escaped, cut to `limit` characters (an ellipsis marks the cut).
    public static func escaped(_ text: String, limit: Int = 200) -> String {
        var out = String.UnicodeScalarView()
        var count = 0
        for scalar in text.unicodeScalars {
            if count >= limit { return String(out) + "…" }
            if isControl(scalar) {
                out.append(contentsOf: "\\u{\(String(scalar.value, radix: 16))}".unicodeScalars)
            } else {
                out.append(scalar)
            }
            count += 1
        }
        return String(out)
    }
}
