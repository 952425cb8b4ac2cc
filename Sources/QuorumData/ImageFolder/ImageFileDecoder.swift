import Foundation

/// Decodes one image file of an image folder (JPEG, PNG or PGM, told apart by their first bytes, not by the
/// file name) and brings it to the folder's common shape: alpha dropped, channels converted, size resized.
public enum ImageFileDecoder {
    /// The file's image as decoded: `[H, W, C]` with C = 1 or 3 (alpha is dropped here). A `decompressor`
    /// owned by the calling thread is reused for JPEG files, which are decoded at the smallest DCT scale that
    /// covers `atLeast` when it is given (see `JPEGReader.decode`).
    public static func decode(
        path: String, decompressor: JPEGDecompressor? = nil,
        atLeast: (height: Int, width: Int)? = nil
    ) throws -> ImageArray {
        try decodeWithSize(path: path, decompressor: decompressor, atLeast: atLeast).image
    }

    /// Like `decode`, and also returns the size the file declares, `[H, W, C]`, before any JPEG scaling; the
    /// survey decodes JPEG files at their smallest scale (every byte is still entropy-decoded, so a cut-off
    /// file is still found) and reports their declared size.
    static func decodeWithSize(
        path: String, decompressor: JPEGDecompressor? = nil,
        atLeast: (height: Int, width: Int)? = nil
    ) throws
        -> (image: ImageArray, declaredShape: [Int])
    {
        try decodeWithSize(bytes: readFile(path), file: path, decompressor: decompressor, atLeast: atLeast)
    }

    /// `decodeWithSize(path:)` on bytes already read; `file` names them in errors.
    static func decodeWithSize(
        bytes: [UInt8], file path: String, decompressor: JPEGDecompressor? = nil,
        atLeast: (height: Int, width: Int)? = nil
    ) throws
        -> (image: ImageArray, declaredShape: [Int])
    {
        let image: ImageArray
        var declared: [Int]?
        if JPEGReader.isJPEG(bytes) {
            let decoded = try JPEGReader.decodeWithSize(bytes, file: path, decompressor: decompressor, atLeast: atLeast)
            image = decoded.image
            declared = decoded.declaredShape
        } else if PNGReader.isPNG(bytes) {
            image = try PNGReader.decode(bytes, file: path)
        } else if PGMReader.isPGM(bytes) {
            image = try PGMReader.decode(bytes, file: path)
        } else {
            throw ImageFileError.badSignature(file: path, format: "JPEG, PNG or PGM")
        }
        let channels = image.imageShape[2]
        guard channels == 2 || channels == 4 else { return (image, declared ?? image.imageShape) }
        let kept = channels - 1
        let pixels = ImageResize.convert(image.pixels, channels: channels, toChannels: kept)
        let opaque = ImageArray(imageShape: [image.imageShape[0], image.imageShape[1], kept], pixels: pixels, count: 1)
        return (opaque, opaque.imageShape)
    }

    /// Decodes the file and writes it, converted to `shape` = `[H, W, C]`, into `into` (exactly H × W × C bytes).
    public static func decode(
        path: String, shape: [Int], into dst: UnsafeMutableBufferPointer<UInt8>,
        decompressor: JPEGDecompressor? = nil
    ) throws {
        try decode(bytes: readFile(path), file: path, shape: shape, into: dst, decompressor: decompressor)
    }

    /// `decode(path:shape:into:)` on the bytes of a file already read (or received); `file` names them in errors.
    public static func decode(
        bytes: [UInt8], file path: String, shape: [Int], into dst: UnsafeMutableBufferPointer<UInt8>,
        decompressor: JPEGDecompressor? = nil
    ) throws {
        let image = try decodeWithSize(
            bytes: bytes, file: path, decompressor: decompressor, atLeast: (shape[0], shape[1])
        ).image
        let (h, w, c) = (image.imageShape[0], image.imageShape[1], image.imageShape[2])
        let converted = ImageResize.convert(image.pixels, channels: c, toChannels: shape[2])
        converted.withUnsafeBufferPointer { src in
            ImageResize.resize(
                src, height: h, width: w, channels: shape[2],
                into: dst, toHeight: shape[0], toWidth: shape[1])
        }
    }

    /// Runs `body(i, decompressor)` for every i in `0..<count` on all cores, in contiguous runs of indices that
    /// each own one JPEG decompressor. `body` must write only what belongs to index i.
    static func concurrentForEach(_ count: Int, _ body: (Int, JPEGDecompressor?) -> Void) {
        guard count > 0 else { return }
        let runs = min(count, ProcessInfo.processInfo.activeProcessorCount * 8)
        DispatchQueue.concurrentPerform(iterations: runs) { run in
            let decompressor = JPEGDecompressor()
            for i in (run * count / runs)..<((run + 1) * count / runs) { body(i, decompressor) }
        }
    }

    /// The file's bytes through plain POSIX calls (many small files: Foundation's per-file work is measurable).
    /// Only regular files are read; an empty file, or one over `ReaderLimits.inputFileBytes`, is refused.
    static func readFile(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw DataError.unreadable(file: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw DataError.unreadable(file: path, reason: "not a regular file")
        }
        let size = Int(info.st_size)
        guard size > 0 else { throw DataError.emptyFile(file: path) }
        guard size <= ReaderLimits.inputFileBytes else {
            throw DataError.tooLarge(file: path, what: "the file (\(size) bytes)", limit: ReaderLimits.inputFileBytes)
        }
        var bytes = [UInt8](repeating: 0, count: size)
        var done = 0
        try bytes.withUnsafeMutableBytes { buffer in
            while done < size {
                let n = read(fd, buffer.baseAddress! + done, size - done)
                if n < 0 && errno == EINTR { continue }
                if n < 0 { throw DataError.unreadable(file: path, reason: String(cString: strerror(errno))) }
                if n == 0 { break }
                done += n
            }
        }
        return done == size ? bytes : Array(bytes.prefix(done))
    }
}
