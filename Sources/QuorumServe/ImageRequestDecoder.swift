import Foundation
import QuorumData
import QuorumEnsemble

/// Turns a request body into images of the ensemble's shape, through the same `InputLoader` as `quorum vote`,
/// so that a served answer is the same bits as the one `quorum vote` gives for the same file.
///
/// A body is one image (PNG, JPEG or PGM, told apart by its first bytes; or raw HWC pixels when an
/// `X-Image-Shape: H,W,C` header is given), or a multipart/form-data batch with one image per part.
struct ImageRequestDecoder {
    /// Reads and converts images as `quorum vote` does.
    let loader: InputLoader
    /// The most images one request may carry.
    let maxImages: Int

    /// The images of `body`, named for errors and answers, joined into one array.
    func decode(body: [UInt8], contentType: String?, shapeHeader: String?) throws -> (ImageArray, [String]) {
        guard !body.isEmpty else { throw ServeError.emptyBody }
        let media = contentType.map(MediaTypeText.init) ?? MediaTypeText("application/octet-stream")
        var images: [ImageArray] = [], names: [String] = []
        if media.type == "multipart/form-data" {
            guard let boundary = media.parameters["boundary"], !boundary.isEmpty else {
                throw ServeError.badRequest("multipart/form-data without a boundary parameter in Content-Type")
            }
            let parts = try MultipartForm.parts(of: body, boundary: boundary, maxParts: maxImages)
            guard !parts.isEmpty else { throw ServeError.badRequest("the multipart/form-data body holds no part") }
            for (i, part) in parts.enumerated() {
                let name = part.filename ?? part.name ?? "part \(i + 1)"
                guard !part.body.isEmpty else { throw ServeError.badImage(part: name, reason: "\(name): empty part") }
                let partType = part.contentType.map(MediaTypeText.init)
                if let partType, !Self.imageTypes.contains(partType.type) {
                    throw ServeError.unsupportedType(part: name, found: partType.type)
                }
                images.append(try image(part.body, name: name, shapeHeader: nil))
                names.append(name)
            }
        } else if Self.imageTypes.contains(media.type) {
            images.append(try image(body, name: "body", shapeHeader: shapeHeader))
            names.append("body")
        } else {
            throw ServeError.unsupportedType(part: "Content-Type", found: media.type)
        }
        let shape = loader.inputShape
        return (ImageArray(imageShape: shape, pixels: images.flatMap(\.pixels), count: images.count), names)
    }

    /// The media types whose body is one image.
    static let imageTypes: Set<String> = [
        "application/octet-stream", "image/png", "image/jpeg", "image/x-portable-graymap",
        "image/x-portable-anymap"
    ]

    /// One image from its bytes: raw pixels when `shapeHeader` is given, else PNG, JPEG or PGM by signature.
    private func image(_ bytes: [UInt8], name: String, shapeHeader: String?) throws -> ImageArray {
        if let shapeHeader { return try raw(bytes, name: name, shape: shapeHeader) }
        let format: InputFormat
        if PNGReader.isPNG(bytes) {
            format = .png
        } else if JPEGReader.isJPEG(bytes) {
            format = .jpeg
        } else if PGMReader.isPGM(bytes) {
            format = .pgm
        } else {
            let head = bytes.prefix(8).map { String($0, radix: 16) }.joined(separator: " ")
            throw ServeError.unsupportedType(part: name, found: "content (first bytes \(head))")
        }
        do {
            return try loader.load(InputFile(path: name, format: format, bytes: bytes)).images
        } catch let error as InferenceError {
            if case .shapeMismatch = error { throw ServeError.wrongShape(part: name, reason: "\(error)") }
            throw ServeError.badImage(part: name, reason: "\(error)")
        } catch {
            throw ServeError.badImage(part: name, reason: "\(error)")
        }
    }

    /// Raw HWC bytes of the shape `H,W,C` that `header` declares; H and W must be the ensemble's, C 1 to 4.
    private func raw(_ bytes: [UInt8], name: String, shape header: String) throws -> ImageArray {
        let fields = header.split(whereSeparator: { $0 == "," || $0 == "x" || $0 == "×" }).map {
            Int($0.trimmingCharacters(in: .whitespaces))
        }
        let expected = loader.inputShape
        guard fields.count == 3, let h = fields[0], let w = fields[1], let c = fields[2], (1...4).contains(c) else {
            throw ServeError.badRequest(
                "X-Image-Shape: expected H,W,C with C from 1 to 4 (the ensemble takes "
                    + "\(expected.map(String.init).joined(separator: ","))), got '\(header)'")
        }
        guard h == expected[0], w == expected[1] else {
            throw ServeError.wrongShape(
                part: name, reason: "raw pixels of \(h)×\(w), the ensemble takes \(expected[0])×\(expected[1])")
        }
        guard bytes.count == h * w * c else {
            throw ServeError.wrongShape(
                part: name, reason: "\(bytes.count) bytes, but X-Image-Shape \(h),\(w),\(c) needs \(h * w * c)")
        }
        guard let pixels = InputLoader.convert(bytes, channels: c, to: expected[2]) else {
            throw ServeError.wrongShape(part: name, reason: "\(c) channels cannot become \(expected[2])")
        }
        return ImageArray(imageShape: expected, pixels: pixels, count: 1)
    }
}

/// A Content-Type value split into its lower-cased type and its parameters.
struct MediaTypeText {
    /// `type/subtype`, lower-cased.
    let type: String
    /// Parameters by lower-cased name, values unquoted.
    let parameters: [String: String]

    /// Parses `text` leniently: unknown parameters are kept, malformed ones dropped.
    init(_ text: String) {
        let fields = text.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        type = (fields.first ?? "").lowercased()
        var parameters: [String: String] = [:]
        for field in fields.dropFirst() {
            guard let eq = field.firstIndex(of: "=") else { continue }
            var value = String(field[field.index(after: eq)...])
            if value.count >= 2 && value.hasPrefix("\"") && value.hasSuffix("\"") {
                value = String(value.dropFirst().dropLast())
            }
            parameters[field[..<eq].lowercased()] = value
        }
        self.parameters = parameters
    }
}
