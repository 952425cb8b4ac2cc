import QuorumData

/// The file formats `quorum vote` answers, recognised by content (and by name where content is ambiguous).
public enum InputFormat: String, Codable, Sendable {
    /// IDX unsigned-byte images, raw or gzip-compressed.
    case idx
    /// A CIFAR-10 binary batch (label byte + 3×32×32 planes per record).
    case cifar
    /// A Netpbm grey map, P2 or P5.
    case pgm
    /// A PNG image.
    case png
    /// A JPEG image (baseline or progressive, grey or colour).
    case jpeg
    /// Rows of `label,p1,p2,...`.
    case csv

    /// The format of the file whose first bytes (decompressed when gzip) are `head`, named `path`.
    public static func detect(head: [UInt8], path: String, fileSize: Int) -> InputFormat? {
        if PNGReader.isPNG(head) { return .png }
        if JPEGReader.isJPEG(head) { return .jpeg }
        if PGMReader.isPGM(head) { return .pgm }
        if head.count >= 4 && head[0] == 0 && head[1] == 0 && head[2] == 8 && head[3] == 3 { return .idx }
        let lower = path.lowercased()
        if lower.hasSuffix(".csv") || lower.hasSuffix(".csv.gz") { return .csv }
        if fileSize > 0 && fileSize % CIFAR10Reader.recordSize == 0
            && (lower.hasSuffix(".bin") || head.first.map { $0 < 10 } == true)
        {
            return .cifar
        }
        if let first = head.first, (0x30...0x39).contains(first) || (0x41...0x7a).contains(first) { return .csv }
        return nil
    }
}
