import Foundation

/// A multipart/form-data body (RFC 7578) split into its parts. The whole body is already held (and was
/// capped at `--max-body`), so parsing only slices it; the part count is capped before any part is copied.
enum MultipartForm {
    /// One part: its form field name, file name, Content-Type and bytes.
    struct Part {
        let name: String?
        let filename: String?
        let contentType: String?
        let body: [UInt8]
    }

    /// The parts of `body` delimited by `boundary`; at most `maxParts`, else `ServeError.tooManyImages`.
    static func parts(of body: [UInt8], boundary: String, maxParts: Int) throws -> [Part] {
        let delimiter = Array("--\(boundary)".utf8)
        var starts = ranges(of: delimiter, in: body)
        guard let first = starts.first else {
            throw ServeError.badRequest("multipart/form-data: no '--\(boundary)' delimiter in the body")
        }
        // Each part runs from after its delimiter line to the CRLF before the next delimiter.
        var parts: [Part] = []
        starts.removeFirst()
        // Every delimiter after the first ends one part.
        guard starts.count <= maxParts else { throw ServeError.tooManyImages(count: starts.count, limit: maxParts) }
        var position = first + delimiter.count
        for next in starts {
            guard body[position...].starts(with: crlf) else {
                throw ServeError.badRequest("multipart/form-data: a delimiter line does not end in CRLF")
            }
            var end = next
            if end >= position + 2 && Array(body[(end - 2)..<end]) == crlf { end -= 2 }
            parts.append(try part(body[(position + 2)..<max(end, position + 2)], index: parts.count))
            position = next + delimiter.count
            if body[position...].starts(with: Array("--".utf8)) { return parts }
        }
        throw ServeError.badRequest("multipart/form-data: the closing '--\(boundary)--' delimiter is missing")
    }

    private static let crlf: [UInt8] = [13, 10]

    /// One part's headers and body.
    private static func part(_ bytes: ArraySlice<UInt8>, index: Int) throws -> Part {
        guard let split = ranges(of: crlf + crlf, in: bytes).first else {
            throw ServeError.badRequest("multipart/form-data: part \(index + 1) has no blank line after its headers")
        }
        let head = String(decoding: bytes[bytes.startIndex..<split], as: UTF8.self)
        var name: String?, filename: String?, contentType: String?
        for line in head.components(separatedBy: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let field = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if field == "content-type" { contentType = value }
            if field == "content-disposition" {
                let parameters = MediaTypeText(value).parameters
                name = parameters["name"]
                filename = parameters["filename"]
            }
        }
        return Part(name: name, filename: filename, contentType: contentType, body: Array(bytes[(split + 4)...]))
    }

    /// The start of every occurrence of `needle` in `haystack`.
    private static func ranges(of needle: [UInt8], in haystack: ArraySlice<UInt8>) -> [Int] {
        var found: [Int] = []
        guard !needle.isEmpty, haystack.count >= needle.count else { return found }
        var i = haystack.startIndex
        let last = haystack.endIndex - needle.count
        while i <= last {
            if haystack[i] == needle[0] && haystack[i..<(i + needle.count)].elementsEqual(needle) {
                found.append(i)
                i += needle.count
            } else {
                i += 1
            }
        }
        return found
    }

    private static func ranges(of needle: [UInt8], in haystack: [UInt8]) -> [Int] {
        ranges(of: needle, in: haystack[...])
    }
}
