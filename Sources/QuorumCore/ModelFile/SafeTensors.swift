import Foundation

/// The safetensors format: an 8-byte little-endian header length, a JSON header naming each tensor's dtype,
/// shape and byte range, then the raw little-endian data. Numpy, PyTorch and others read it.
///
/// Only float32 tensors are read and written: every tensor of a Quorum model is one.
public struct SafeTensors: Equatable {
    /// One named float32 tensor.
    public struct Entry: Equatable {
        public var name: String
        public var shape: [Int]
        public var values: [Float]
        /// A named tensor; `values.count` must equal the product of `shape`.
        public init(name: String, shape: [Int], values: [Float]) {
            precondition(
                values.count == ModelLimits.product(shape),
                "\(name): \(values.count) values for shape \(shape)")
            self.name = name
            self.shape = shape
            self.values = values
        }
    }

    /// String key-value pairs of the header's `__metadata__`.
    public var metadata: [String: String]
    /// The tensors, in file order.
    public var entries: [Entry]

    /// A file's contents in memory.
    public init(metadata: [String: String], entries: [Entry]) {
        self.metadata = metadata
        self.entries = entries
    }

    /// The tensor with this name.
    public subscript(name: String) -> Entry? { entries.first { $0.name == name } }

    /// The file's bytes. Deterministic: metadata keys sorted, tensors in order, header padded with spaces to 8 bytes.
    public func serialized() -> Data {
        var header = "{\"__metadata__\":{"
        header += metadata.keys.sorted().map { "\(jsonString($0)):\(jsonString(metadata[$0]!))" }.joined(separator: ",")
        header += "}"
        var offset = 0
        for e in entries {
            let bytes = e.values.count * 4
            header +=
                ",\(jsonString(e.name)):{\"dtype\":\"F32\",\"shape\":[\(e.shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(offset),\(offset + bytes)]}"
            offset += bytes
        }
        header += "}"
        var headerBytes = Array(header.utf8)
        while headerBytes.count % 8 != 0 { headerBytes.append(0x20) }
        var out = Data(capacity: 8 + headerBytes.count + offset)
        withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: headerBytes)
        for e in entries {
            e.values.withUnsafeBufferPointer { buf in
                // Float's in-memory order is little-endian on every platform Quorum builds for.
                out.append(
                    UnsafeBufferPointer(
                        start: UnsafeRawPointer(buf.baseAddress!).assumingMemoryBound(to: UInt8.self),
                        count: buf.count * 4))
            }
        }
        return out
    }

    /// Writes the file atomically (a temporary file renamed into place), so a crash never leaves half a model.
    public func write(to path: String) throws {
        try serialized().write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// Reads and validates a file; `path` names it in errors.
    public static func read(path: String) throws -> SafeTensors {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw SafeTensorsError.unreadable(path: path, reason: (error as NSError).localizedDescription)
        }
        return try parse(data, path: path)
    }

    /// Parses bytes already in memory (a model received over the network, for example). Every declared size
    /// is checked against the bytes held before any value is copied (`SafeTensorsHeader`).
    public static func parse(_ data: Data, path: String) throws -> SafeTensors {
        let header = try SafeTensorsHeader(parsing: data, path: path, widths: ["F32": 4])
        let entries = header.tensors.map { tensor in
            var values = [Float](repeating: 0, count: tensor.count)
            values.withUnsafeMutableBytes { dst in
                data.copyBytes(to: dst.bindMemory(to: UInt8.self), from: tensor.bytes)
            }
            return Entry(name: tensor.name, shape: tensor.shape, values: values)
        }
        return SafeTensors(metadata: header.metadata, entries: entries)
    }
}

private func jsonString(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            if scalar.value < 0x20 {
                out += String(format: "\\u%04x", scalar.value)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out + "\""
}
