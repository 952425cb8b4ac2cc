import QuorumCore

/// The largest sizes a data file may declare or hold. Readers check every declared size against these and
/// against the bytes they hold, with overflow-checked products, before they allocate anything by it.
public enum ReaderLimits {
    /// Height or width of an image, in pixels: the largest a model can take.
    public static let imageSide = ModelLimits.imageSide
    /// Bytes of one image (H × W × C): the most values a model can take per sample.
    public static let imageBytes = ModelLimits.inputElements
    /// Bytes of a data set file as read, after decompression: 2 GiB.
    public static let dataFileBytes = 1 << 31
    /// Bytes of one `quorum vote` input file, after decompression: 256 MiB.
    public static let inputFileBytes = 1 << 28
    /// Classes a file's labels may name when the class count is not given.
    public static let classes = ModelLimits.classes

    /// Checks one image's declared `[H, W, C]` and returns its byte count; `file` names it in errors.
    static func imageBytes(height: Int, width: Int, channels: Int, file: String) throws -> Int {
        guard (1...imageSide).contains(height), (1...imageSide).contains(width) else {
            throw DataError.badDimension(
                file: file, reason: "images of \(height)×\(width) pixels; each side must lie in 1...\(imageSide)")
        }
        guard channels >= 1, let bytes = ModelLimits.product([height, width, channels]), bytes <= imageBytes else {
            throw DataError.badDimension(
                file: file, reason: "images of \(height)×\(width)×\(channels) values; at most \(imageBytes) per image")
        }
        return bytes
    }
}
