/// Reads images from CSV: one image per line, `label,p1,p2,...` with integer pixels 0–255 in HWC order
/// (the layout of the Kaggle MNIST and Fashion-MNIST CSVs). A first line that does not start with a
/// number is a header and is skipped; blank lines are ignored.
public enum CSVReader {
    /// Reads `path`. Without `imageShape`, the pixel count must be a square and images are `[s, s, 1]`.
    /// With `classes`, labels must lie below it; otherwise there are `max label + 1` classes named `0`, `1`, ….
    public static func read(path: String, imageShape: [Int]? = nil, classes: Int? = nil) throws -> Dataset {
        try read(bytes: FileBytes.read(path), path: path, imageShape: imageShape, classes: classes)
    }

    /// Reads CSV bytes already in memory (decompressed); `path` names them in errors.
    public static func read(
        bytes: [UInt8], path: String, imageShape: [Int]? = nil,
        classes: Int? = nil
    ) throws -> Dataset {
        var pixels = [UInt8]()
        var labels = [Int32]()
        var fieldsPerRow: Int?
        if let shape = imageShape {
            guard shape.count == 3 else {
                throw DataError.badDimension(
                    file: path,
                    reason: "image shape \(shape) is not [H, W, C] with positive sizes")
            }
            fieldsPerRow =
                1
                + (try ReaderLimits.imageBytes(
                    height: shape[0], width: shape[1], channels: shape[2],
                    file: path))
        }
        // Without a class count, the largest label sets it: bound it as a model's class count is bounded.
        let labelLimit = classes ?? ReaderLimits.classes
        var row = [Int]()
        var lineNumber = 0
        var sawData = false
        var start = 0
        try bytes.withUnsafeBufferPointer { buf in
            while start < buf.count {
                var end = start
                while end < buf.count && buf[end] != 0x0a { end += 1 }
                lineNumber += 1
                var lineEnd = end
                if lineEnd > start && buf[lineEnd - 1] == 0x0d { lineEnd -= 1 }
                defer { start = end + 1 }
                if isBlank(buf, start, lineEnd) { continue }
                row.removeAll(keepingCapacity: true)
                let parsed = parseRow(buf, start, lineEnd, into: &row)
                if !parsed.ok {
                    if !sawData && !startsWithNumber(buf, start, lineEnd) { sawData = true; continue }
                    throw DataError.badCSV(file: path, line: lineNumber, reason: parsed.reason)
                }
                sawData = true
                if fieldsPerRow == nil {
                    guard row.count >= 2 else {
                        throw DataError.badCSV(
                            file: path, line: lineNumber, reason: "a row needs a label and at least one pixel")
                    }
                    fieldsPerRow = row.count
                }
                guard row.count == fieldsPerRow! else {
                    throw DataError.badCSV(
                        file: path, line: lineNumber,
                        reason: "\(row.count) fields, expected \(fieldsPerRow!) (label + pixels)")
                }
                let label = row[0]
                if label < 0 || label >= labelLimit || label > Int(Int32.max) {
                    throw DataError.badCSV(
                        file: path, line: lineNumber,
                        reason: "label \(label) out of range (expected 0..<\(labelLimit))")
                }
                for (k, v) in row.dropFirst().enumerated() where v < 0 || v > 255 {
                    throw DataError.badCSV(
                        file: path, line: lineNumber, reason: "pixel \(k + 1) is \(v), expected 0–255")
                }
                labels.append(Int32(label))
                for v in row.dropFirst() { pixels.append(UInt8(v)) }
            }
        }
        guard let fields = fieldsPerRow, !labels.isEmpty else { throw DataError.emptyFile(file: path) }
        let shape: [Int]
        if let given = imageShape {
            shape = given
        } else {
            let n = fields - 1
            let side = Int(Double(n).squareRoot().rounded())
            guard side * side == n else {
                throw DataError.badDimension(
                    file: path, reason: "\(n) pixels per row is not a square; give the image shape")
            }
            shape = [side, side, 1]
        }
        let classCount = classes ?? (Int(labels.max()!) + 1)
        return Dataset(
            name: path, imageShape: shape, pixels: pixels, labels: labels,
            classNames: (0..<classCount).map(String.init))
    }

    private static func isBlank(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Bool {
        var i = s
        while i < e { if b[i] != 0x20 && b[i] != 0x09 { return false }; i += 1 }
        return true
    }

    /// Whether the line's first field starts like a number; a first line that does not is a header.
    private static func startsWithNumber(_ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int) -> Bool {
        var i = s
        while i < e && (b[i] == 0x20 || b[i] == 0x09) { i += 1 }
        return i < e && ((b[i] >= 0x30 && b[i] <= 0x39) || b[i] == 0x2d)
    }

    /// Parses comma-separated integers (spaces around them allowed).
    private static func parseRow(
        _ b: UnsafeBufferPointer<UInt8>, _ s: Int, _ e: Int,
        into row: inout [Int]
    ) -> (ok: Bool, reason: String) {
        var i = s
        while true {
            while i < e && b[i] == 0x20 { i += 1 }
            var negative = false
            if i < e && b[i] == 0x2d { negative = true; i += 1 }
            let digitsStart = i
            var value = 0
            while i < e && b[i] >= 0x30 && b[i] <= 0x39 {
                value = value &* 10 &+ Int(b[i] - 0x30)
                if value > 1 << 40 { return (false, "field \(row.count + 1) is too large") }
                i += 1
            }
            if i == digitsStart {
                if i == e || b[i] == 0x2c { return (false, "field \(row.count + 1) is empty") }
                return (
                    false, "field \(row.count + 1) is not an integer (unexpected '\(Character(Unicode.Scalar(b[i])))')"
                )
            }
            while i < e && b[i] == 0x20 { i += 1 }
            row.append(negative ? -value : value)
            if i == e { return (true, "") }
            guard b[i] == 0x2c else {
                return (false, "field \(row.count) is not an integer (unexpected '\(Character(Unicode.Scalar(b[i])))')")
            }
            i += 1
        }
    }
}
