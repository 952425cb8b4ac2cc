import CTurboJPEG
import QuorumCore

/// Reads JPEG images (baseline and progressive, grey and colour) through libjpeg-turbo's TurboJPEG API,
/// to 8-bit grey (C = 1) or RGB (C = 3).
///
/// libjpeg reports a cut-off or damaged stream as a *warning* and fills the missing rows with grey, so a
/// warning is refused like an error: a training set must not silently hold half-grey images.
public enum JPEGReader {
    /// Whether `bytes` start with a JPEG start-of-image marker followed by another marker.
    public static func isJPEG(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF
    }

    /// Reads the file at `path` into one `[H, W, C]` image, C = 1 (grey) or 3 (RGB).
    public static func read(path: String) throws -> ImageArray {
        try decode(FileBytes.readRaw(path, limit: ReaderLimits.inputFileBytes), file: path)
    }

    /// Decodes JPEG bytes; `file` names the source in errors. A `decompressor` kept by the caller saves
    /// setting one up per file when many files are decoded on one thread.
    ///
    /// With `atLeast` (height, width), the image is decoded at the smallest of libjpeg's DCT scales (1/8 to 1)
    /// that still covers that size on both sides, as Pillow's `draft` does: a large photo bound for a small
    /// network is decoded in a fraction of the time and memory, and the size limits apply to what is decoded.
    public static func decode(
        _ bytes: [UInt8], file: String, decompressor: JPEGDecompressor? = nil,
        atLeast: (height: Int, width: Int)? = nil
    ) throws -> ImageArray {
        try decodeWithSize(bytes, file: file, decompressor: decompressor, atLeast: atLeast).image
    }

    /// Like `decode`, and also returns the size the file declares, `[H, W, C]`, before any scaling.
    public static func decodeWithSize(
        _ bytes: [UInt8], file: String, decompressor: JPEGDecompressor? = nil,
        atLeast: (height: Int, width: Int)? = nil
    ) throws
        -> (image: ImageArray, declaredShape: [Int])
    {
        guard isJPEG(bytes) else { throw ImageFileError.badSignature(file: file, format: "JPEG") }
        guard let decompressor = decompressor ?? JPEGDecompressor() else {
            throw ImageFileError.corrupt(file: file, reason: "TurboJPEG could not start a decompressor")
        }
        return try decompressor.decode(bytes, file: file, atLeast: atLeast)
    }

    /// The scaled size TurboJPEG gives `side` at `factor` (its TJSCALED macro).
    static func scaled(_ side: Int, _ factor: tjscalingfactor) -> Int {
        (side * Int(factor.num) + Int(factor.denom) - 1) / Int(factor.denom)
    }

    /// The smallest downscaling factor (at most 1) whose output still holds `target` on both sides.
    static func factor(height: Int, width: Int, target: (height: Int, width: Int)) -> tjscalingfactor {
        var count: Int32 = 0
        var best = tjscalingfactor(num: 1, denom: 1)
        guard let factors = tjGetScalingFactors(&count) else { return best }
        for f in UnsafeBufferPointer(start: factors, count: Int(count)) where f.num <= f.denom {
            if scaled(height, f) >= target.height && scaled(width, f) >= target.width
                && Int(f.num) * Int(best.denom) < Int(best.num) * Int(f.denom)
            {
                best = f
            }
        }
        return best
    }

    /// TurboJPEG's message for the last failure on `handle`.
    fileprivate static func errorMessage(_ handle: UnsafeMutableRawPointer) -> String {
        guard let text = tjGetErrorStr2(handle) else { return "unknown TurboJPEG error" }
        return String(cString: text)
    }

    /// Whether the failure comes from data that ends early: libjpeg says so, or the bytes lack the
    /// end-of-image marker (a file cut inside its headers fails on the marker it never reaches).
    fileprivate static func isTruncation(_ message: String, _ bytes: [UInt8]) -> Bool {
        if message.contains("Premature end") { return true }
        let tail = bytes.suffix(64)
        return !zip(tail, tail.dropFirst()).contains { $0 == 0xFF && $1 == 0xD9 }
    }
}

/// One TurboJPEG decompressor, reusable for any number of files on one thread at a time (not shared
/// between threads).
public final class JPEGDecompressor {
    let handle: UnsafeMutableRawPointer

    /// A new decompressor; nil when TurboJPEG cannot allocate one.
    public init?() {
        guard let handle = tjInitDecompress() else { return nil }
        self.handle = handle
    }

    deinit { tjDestroy(handle) }

    /// Decodes JPEG bytes whose signature has been checked; `file` names the source in errors.
    fileprivate func decode(
        _ bytes: [UInt8], file: String,
        atLeast: (height: Int, width: Int)?
    ) throws -> (image: ImageArray, declaredShape: [Int]) {
        var width: Int32 = 0, height: Int32 = 0, subsampling: Int32 = 0, colourspace: Int32 = 0
        let headerStatus = bytes.withUnsafeBufferPointer { buf in
            tjDecompressHeader3(handle, buf.baseAddress, UInt(buf.count), &width, &height, &subsampling, &colourspace)
        }
        guard headerStatus == 0 else {
            let message = JPEGReader.errorMessage(handle)
            if JPEGReader.isTruncation(message, bytes) { throw ImageFileError.truncated(file: file, reason: message) }
            throw ImageFileError.badHeader(file: file, reason: message)
        }
        let sides = 1...ReaderLimits.imageSide
        guard sides.contains(Int(width)), sides.contains(Int(height)) else {
            throw ImageFileError.badHeader(
                file: file, reason: "size \(width)×\(height), expected 1...\(ReaderLimits.imageSide) on each side")
        }
        if colourspace == Int32(TJCS_CMYK.rawValue) || colourspace == Int32(TJCS_YCCK.rawValue) {
            throw ImageFileError.unsupported(file: file, feature: "CMYK JPEG; save the image as RGB or grey")
        }
        let grey = colourspace == Int32(TJCS_GRAY.rawValue)
        let channels = grey ? 1 : 3
        let factor =
            atLeast.map { JPEGReader.factor(height: Int(height), width: Int(width), target: $0) }
            ?? tjscalingfactor(num: 1, denom: 1)
        let w = JPEGReader.scaled(Int(width), factor), h = JPEGReader.scaled(Int(height), factor)
        guard let count = ModelLimits.product([w, h, channels]), count <= ReaderLimits.imageBytes else {
            throw ImageFileError.badHeader(
                file: file, reason: "\(w)×\(h)×\(channels) values, more than \(ReaderLimits.imageBytes)")
        }
        var pixels = [UInt8](repeating: 0, count: count)
        let format = grey ? Int32(TJPF_GRAY.rawValue) : Int32(TJPF_RGB.rawValue)
        // LIMITSCANS refuses progressive files of more than 500 scans, which cost minutes to decode for no image.
        let flags = Int32(TJFLAG_LIMITSCANS)
        let status = bytes.withUnsafeBufferPointer { src in
            pixels.withUnsafeMutableBufferPointer { dst in
                // Asking for the scaled size makes TurboJPEG decode at that scale.
                tjDecompress2(
                    handle, src.baseAddress, UInt(src.count), dst.baseAddress,
                    Int32(w), 0, Int32(h), format, flags)
            }
        }
        if status != 0 {
            let message = JPEGReader.errorMessage(handle)
            if JPEGReader.isTruncation(message, bytes) { throw ImageFileError.truncated(file: file, reason: message) }
            let kind = tjGetErrorCode(handle) == Int32(TJERR_WARNING.rawValue) ? "libjpeg warning" : "libjpeg error"
            throw ImageFileError.corrupt(file: file, reason: "\(kind): \(message)")
        }
        return (ImageArray(imageShape: [h, w, channels], pixels: pixels, count: 1), [Int(height), Int(width), channels])
    }
}
