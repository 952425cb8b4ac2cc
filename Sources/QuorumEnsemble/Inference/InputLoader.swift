import Foundation
import QuorumData

/// Reads the inputs of `quorum vote`: detects each file's format, reads it with the matching reader,
/// finds IDX label files, and converts single images to the ensemble's channel count.
public struct InputLoader {
    /// The shape the ensemble takes, `[H, W, C]`.
    public let inputShape: [Int]
    /// The number of classes, which every label must lie below.
    public let classes: Int

    /// A loader for an ensemble taking `inputShape` images and scoring `classes` classes.
    public init(inputShape: [Int], classes: Int) {
        self.inputShape = inputShape
        self.classes = classes
    }

    /// Reads `path`. For IDX images, `labels` names the labels file; without it a neighbour named like
    /// the images with `images`→`labels` and `idx3`→`idx1` is used when it exists.
    public func load(path: String, labels labelsPath: String? = nil) throws -> InputBatch {
        try load(read(path: path), labels: labelsPath)
    }

    /// Reads and decodes each of `paths` once, in order, and hands `body` each path with its batch or the error
    /// that file gave (the others are still read). IDX image inputs take the `labels` files in turn, the first
    /// IDX input the first labels file; inputs of other formats carry their own labels or none.
    public func forEach(
        _ paths: [String], labels: [String],
        _ body: (String, Result<InputBatch, Error>) throws -> Void
    ) rethrows {
        var idxInputs = 0
        for path in paths {
            let loaded = Result<InputBatch, Error> {
                let file = try read(path: path)
                var labelsFile: String?
                if file.format == .idx {
                    if idxInputs < labels.count { labelsFile = labels[idxInputs] }
                    idxInputs += 1
                }
                return try load(file, labels: labelsFile)
            }
            try body(path, loaded)
        }
    }

    /// Reads `path` once, decompressed when it is gzip (up to `ReaderLimits.inputFileBytes`), and detects its
    /// format, so a caller can look at the format before `load(_:labels:)` decodes the same bytes.
    public func read(path: String) throws -> InputFile {
        let bytes = try FileBytes.read(path, limit: ReaderLimits.inputFileBytes)
        guard let format = InputFormat.detect(head: Array(bytes.prefix(16)), path: path, fileSize: bytes.count) else {
            throw InferenceError.unknownFormat(file: path)
        }
        return InputFile(path: path, format: format, bytes: bytes)
    }

    /// Decodes a file read by `read(path:)`. For IDX images, `labels` names the labels file (see `load(path:labels:)`).
    public func load(_ file: InputFile, labels labelsPath: String? = nil) throws -> InputBatch {
        let path = file.path
        switch file.format {
        case .png:
            let image = try PNGReader.decode(file.bytes, file: path)
            if hasInputSize(image) { return try single(image, path: path, format: .png) }
            return try resized(file)
        case .pgm:
            let image = try PGMReader.decode(file.bytes, file: path)
            if hasInputSize(image) { return try single(image, path: path, format: .pgm) }
            return try resized(file)
        case .jpeg: return try resized(file)
        case .idx:
            let images = try IDXReader.readImages(bytes: file.bytes, path: path)
            try checkShape(images.imageShape, path: path)
            let labelsFile = labelsPath ?? Self.neighbourLabels(of: path)
            guard let labelsFile else { return InputBatch(file: path, format: .idx, images: images, labels: nil) }
            let labelBytes = try FileBytes.read(labelsFile, limit: ReaderLimits.inputFileBytes)
            let labels = try IDXReader.readLabels(bytes: labelBytes, path: labelsFile)
            guard labels.count == images.count else {
                throw DataError.countMismatch(
                    images: path, imageCount: images.count, labels: labelsFile, labelCount: labels.count)
            }
            try checkLabels(labels, file: labelsFile)
            return InputBatch(file: path, format: .idx, images: images, labels: labels, labelsFile: labelsFile)
        case .cifar:
            return try dataset(CIFAR10Reader.read(bytes: file.bytes, path: path), path: path, format: .cifar)
        case .csv:
            let data = try CSVReader.read(bytes: file.bytes, path: path, imageShape: inputShape, classes: classes)
            return try dataset(data, path: path, format: .csv)
        }
    }

    /// The labels file beside an IDX images file, if one exists: `...-images-idx3-ubyte[.gz]` ↔ `...-labels-idx1-ubyte[.gz]`.
    public static func neighbourLabels(of path: String) -> String? {
        let url = URL(fileURLWithPath: path)
        let name = url.lastPathComponent
        guard name.contains("images") && name.contains("idx3") else { return nil }
        var base = name.replacingOccurrences(of: "images", with: "labels").replacingOccurrences(
            of: "idx3", with: "idx1")
        if base.hasSuffix(".gz") { base = String(base.dropLast(3)) }
        for candidate in [base, base + ".gz"] {
            let p = url.deletingLastPathComponent().appendingPathComponent(candidate).path
            if FileManager.default.fileExists(atPath: p) { return p }
        }
        return nil
    }

    private func dataset(_ data: Dataset, path: String, format: InputFormat) throws -> InputBatch {
        try checkShape(data.imageShape, path: path)
        try checkLabels(data.labels, file: path)
        return InputBatch(
            file: path, format: format,
            images: ImageArray(imageShape: data.imageShape, pixels: data.pixels, count: data.count), labels: data.labels
        )
    }

    /// Whether `image` already has the ensemble's height and width.
    private func hasInputSize(_ image: ImageArray) -> Bool {
        Array(image.imageShape.prefix(2)) == Array(inputShape.prefix(2))
    }

    /// The file decoded and resized to the ensemble's shape as an image folder's files are for training
    /// (`ImageFileDecoder`: alpha dropped, channels converted, area-averaged or bilinear resize).
    private func resized(_ file: InputFile) throws -> InputBatch {
        var pixels = [UInt8](repeating: 0, count: inputShape.reduce(1, *))
        try pixels.withUnsafeMutableBufferPointer {
            try ImageFileDecoder.decode(bytes: file.bytes, file: file.path, shape: inputShape, into: $0)
        }
        return InputBatch(
            file: file.path, format: file.format, images: ImageArray(imageShape: inputShape, pixels: pixels, count: 1),
            labels: nil)
    }

    private func single(_ image: ImageArray, path: String, format: InputFormat) throws -> InputBatch {
        let (h, w, c) = (image.imageShape[0], image.imageShape[1], image.imageShape[2])
        guard h == inputShape[0], w == inputShape[1] else {
            throw InferenceError.shapeMismatch(file: path, expected: inputShape, found: image.imageShape)
        }
        let pixels = Self.convert(image.pixels, channels: c, to: inputShape[2])
        guard let pixels else {
            throw InferenceError.shapeMismatch(file: path, expected: inputShape, found: image.imageShape)
        }
        return InputBatch(
            file: path, format: format, images: ImageArray(imageShape: inputShape, pixels: pixels, count: 1),
            labels: nil)
    }

    /// Converts HWC pixels with `channels` (1 grey, 2 grey + alpha, 3 RGB, 4 RGBA) to `target` channels (1 or 3).
    ///
    /// Alpha is composited over black, the background of the usual grey data sets; colour becomes grey
    /// by the Rec. 601 luma weights; grey becomes colour by repeating it. Nil for other channel counts.
    public static func convert(_ pixels: [UInt8], channels: Int, to target: Int) -> [UInt8]? {
        guard (1...4).contains(channels), target == 1 || target == 3 else { return channels == target ? pixels : nil }
        let n = pixels.count / channels
        let hasAlpha = channels == 2 || channels == 4
        var out = [UInt8](repeating: 0, count: n * target)
        for p in 0..<n {
            let base = p * channels
            let alpha = hasAlpha ? Int(pixels[base + channels - 1]) : 255
            func over(_ v: UInt8) -> Int { (Int(v) * alpha + 127) / 255 }
            if channels <= 2 {
                let g = UInt8(over(pixels[base]))
                for c in 0..<target { out[p * target + c] = g }
            } else {
                let r = over(pixels[base]), g = over(pixels[base + 1]), b = over(pixels[base + 2])
                if target == 3 {
                    out[p * 3] = UInt8(r); out[p * 3 + 1] = UInt8(g); out[p * 3 + 2] = UInt8(b)
                } else {
                    out[p] = UInt8((299 * r + 587 * g + 114 * b + 500) / 1000)
                }
            }
        }
        return out
    }

    private func checkShape(_ shape: [Int], path: String) throws {
        guard shape == inputShape else {
            throw InferenceError.shapeMismatch(file: path, expected: inputShape, found: shape)
        }
    }

    private func checkLabels(_ labels: [Int32], file: String) throws {
        if let i = labels.firstIndex(where: { $0 < 0 || Int($0) >= classes }) {
            throw InferenceError.badLabels(
                file: file, reason: "label \(labels[i]) of item \(i) is not below the ensemble's \(classes) classes")
        }
    }
}
