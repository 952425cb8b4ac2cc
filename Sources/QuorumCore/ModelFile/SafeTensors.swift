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
            precondition(values.count == shape.reduce(1, *), "\(name): \(values.count) values for shape \(shape)")
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
            header += ",\(jsonString(e.name)):{\"dtype\":\"F32\",\"shape\":[\(e.shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(offset),\(offset + bytes)]}"
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
                out.append(UnsafeBufferPointer(start: UnsafeRawPointer(buf.baseAddress!).assumingMemoryBound(to: UInt8.self),
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

    /// Parses bytes already in memory (a model received over the network, for example).
    public static func parse(_ data: Data, path: String) throws -> SafeTensors {
        guard data.count >= 8 else { throw SafeTensorsError.tooShort(path: path, bytes: data.count) }
        let headerLength = data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard headerLength <= UInt64(data.count - 8) else {
            throw SafeTensorsError.headerLength(path: path, declared: headerLength, fileBytes: data.count)
        }
        let bodyStart = 8 + Int(headerLength)
        let headerData = data.subdata(in: data.startIndex + 8 ..< data.startIndex + bodyStart)
        guard let json = try? JSONSerialization.jsonObject(with: headerData), let header = json as? [String: Any] else {
            throw SafeTensorsError.badHeader(path: path, reason: "not a JSON object")
        }
        var metadata: [String: String] = [:]
        if let meta = header["__metadata__"] {
            guard let m = meta as? [String: String] else {
                throw SafeTensorsError.badHeader(path: path, reason: "__metadata__ must map strings to strings")
            }
            metadata = m
        }
        let bodyBytes = data.count - bodyStart
        var located: [(start: Int, entry: Entry)] = []
        for (name, value) in header where name != "__metadata__" {
            guard let info = value as? [String: Any] else {
                throw SafeTensorsError.badTensor(path: path, name: name, reason: "entry is not an object")
            }
            guard let dtype = info["dtype"] as? String else {
                throw SafeTensorsError.badTensor(path: path, name: name, reason: "no dtype")
            }
            guard dtype == "F32" else {
                throw SafeTensorsError.badTensor(path: path, name: name, reason: "dtype \(dtype) is not supported (only F32)")
            }
            guard let shape = (info["shape"] as? [Any])?.compactMap({ ($0 as? NSNumber)?.intValue }),
                  shape.count == (info["shape"] as? [Any])?.count, shape.allSatisfy({ $0 >= 0 }) else {
                throw SafeTensorsError.badTensor(path: path, name: name, reason: "shape is not a list of non-negative integers")
            }
            guard let offsets = (info["data_offsets"] as? [Any])?.compactMap({ ($0 as? NSNumber)?.intValue }),
                  offsets.count == 2, offsets[0] >= 0, offsets[0] <= offsets[1], offsets[1] <= bodyBytes else {
                throw SafeTensorsError.badTensor(path: path, name: name, reason: "data_offsets outside the \(bodyBytes) data bytes")
            }
            let count = shape.reduce(1, *)
            guard offsets[1] - offsets[0] == count * 4 else {
                throw SafeTensorsError.badTensor(path: path, name: name,
                                                 reason: "shape \(shape) needs \(count * 4) bytes but data_offsets span \(offsets[1] - offsets[0])")
            }
            var values = [Float](repeating: 0, count: count)
            let start = data.startIndex + bodyStart + offsets[0]
            values.withUnsafeMutableBytes { dst in
                data.copyBytes(to: dst.bindMemory(to: UInt8.self), from: start ..< start + count * 4)
            }
            located.append((offsets[0], Entry(name: name, shape: shape, values: values)))
        }
        located.sort { $0.start != $1.start ? $0.start < $1.start : $0.entry.name < $1.entry.name }
        for (a, b) in zip(located, located.dropFirst()) where a.start + a.entry.values.count * 4 > b.start {
            throw SafeTensorsError.badTensor(path: path, name: b.entry.name, reason: "its bytes overlap tensor '\(a.entry.name)'")
        }
        return SafeTensors(metadata: metadata, entries: located.map(\.entry))
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
            if scalar.value < 0x20 { out += String(format: "\\u%04x", scalar.value) } else { out.unicodeScalars.append(scalar) }
        }
    }
    return out + "\""
}
