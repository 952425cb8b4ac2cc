/// Escaping for text placed in SVG and HTML, so names such as `<&>` cannot break the markup.
enum XMLText {
    /// `text` with `& < > " '` replaced by entities; safe in element content and quoted attributes.
    /// Control characters other than tab and newline, which XML forbids, become spaces.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default: out.unicodeScalars.append(scalar.value < 0x20 || scalar.value == 0x7f ? " " : scalar)
            }
        }
        return out
    }
}
