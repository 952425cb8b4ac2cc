/// Decodes one image file of an image folder (JPEG, PNG or PGM, told apart by their first bytes, not by the
/// file name) and brings it to the folder's common shape: alpha dropped, channels converted, size resized.
public enum ImageFileDecoder {
    /// The file's image as decoded: `[H, W, C]` with C = 1 or 3 (alpha is dropped here).
    public static func decode(path: String) throws -> ImageArray {
        let bytes = try FileBytes.readRaw(path, limit: ReaderLimits.inputFileBytes)
        if bytes.isEmpty { throw DataError.emptyFile(file: path) }
        let image: ImageArray
        if JPEGReader.isJPEG(bytes) {
            image = try JPEGReader.decode(bytes, file: path)
        } else if PNGReader.isPNG(bytes) {
            image = try PNGReader.decode(bytes, file: path)
        } else if PGMReader.isPGM(bytes) {
            image = try PGMReader.decode(bytes, file: path)
        } else {
            throw ImageFileError.badSignature(file: path, format: "JPEG, PNG or PGM")
        }
        let channels = image.imageShape[2]
        guard channels == 2 || channels == 4 else { return image }
        let kept = channels - 1
        return ImageArray(imageShape: [image.imageShape[0], image.imageShape[1], kept],
                          pixels: ImageResize.convert(image.pixels, channels: channels, toChannels: kept), count: 1)
    }

    /// Decodes the file and writes it, converted to `shape` = `[H, W, C]`, into `into` (exactly H × W × C bytes).
    public static func decode(path: String, shape: [Int], into dst: UnsafeMutableBufferPointer<UInt8>) throws {
        let image = try decode(path: path)
        let (h, w, c) = (image.imageShape[0], image.imageShape[1], image.imageShape[2])
        let converted = ImageResize.convert(image.pixels, channels: c, toChannels: shape[2])
        converted.withUnsafeBufferPointer { src in
            ImageResize.resize(src, height: h, width: w, channels: shape[2],
                               into: dst, toHeight: shape[0], toWidth: shape[1])
        }
    }
}
