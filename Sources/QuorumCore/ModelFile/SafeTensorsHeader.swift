import Foundation

/// The header of a safetensors file, checked against the bytes that follow it before any tensor is read.
///
/// Every declared size is distrusted: the header length must fit the file and a limit, the JSON must stay
/// shallow, each shape's element count and byte count are computed with overflow checks, each byte range
/// must lie inside the data and match its shape exactly, and no two ranges may overlap. Readers then copy
/// exactly the bytes a tensor spans, so a file can never make them allocate more than its own length.
struct SafeTensorsHeader {
    /// One tensor's declaration.
    struct Tensor {
        var name: String
        var dtype: String
        var shape: [Int]
        /// The product of `shape`.
        var count: Int
        /// The bytes of its values, as indices into the parsed `Data`.
        var bytes: Range<Int>
    }

    /// The largest header accepted; Quorum's own are a few kilobytes.
    static let maxHeaderBytes = 16 << 20
    /// The deepest JSON nesting accepted; a valid header nests three levels.
    static let maxNesting = 64
    /// The most dimensions a tensor may have.
    static let maxRank = 8

    /// `__metadata__`'s string pairs.
    var metadata: [String: String]
    /// The tensors, in the order of their bytes.
    var tensors: [Tensor]

    /// Parses and checks the header of `data`, accepting the dtypes in `widths` (name to bytes per value).
    init(parsing data: Data, path: String, widths: [String: Int]) throws {
        guard data.count >= 8 else { throw SafeTensorsError.tooShort(path: path, bytes: data.count) }
        let declared = data.prefix(8).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard declared <= UInt64(data.count - 8), declared <= UInt64(Self.maxHeaderBytes) else {
            throw SafeTensorsError.headerLength(path: path, declared: declared, fileBytes: data.count)
        }
        let bodyStart = data.startIndex + 8 + Int(declared)
        let headerData = data[data.startIndex + 8..<bodyStart]
        if let problem = JSONNesting.problem(headerData, limit: Self.maxNesting) {
            throw SafeTensorsError.badHeader(path: path, reason: problem)
        }
        let json: Any
        do { json = try JSONSerialization.jsonObject(with: Data(headerData)) } catch {
            throw SafeTensorsError.badHeader(path: path, reason: "it is not valid JSON: \(Self.reason(error))")
        }
        guard let header = json as? [String: Any] else {
            throw SafeTensorsError.badHeader(path: path, reason: "it is JSON but not an object")
        }
        metadata = [:]
        if let meta = header["__metadata__"] {
            guard let m = meta as? [String: String] else {
                throw SafeTensorsError.badHeader(path: path, reason: "__metadata__ must map strings to strings")
            }
            metadata = m
        }
        let bodyBytes = data.endIndex - bodyStart
        var tensors: [Tensor] = []
        for (name, value) in header where name != "__metadata__" {
            func bad(_ reason: String) -> SafeTensorsError { .badTensor(path: path, name: name, reason: reason) }
            guard let info = value as? [String: Any] else { throw bad("entry is not an object") }
            guard let dtype = info["dtype"] as? String else { throw bad("no dtype") }
            guard let width = widths[dtype] else {
                throw bad("dtype \(dtype) is not supported (only \(widths.keys.sorted().joined(separator: ", ")))")
            }
            guard let shape = Self.integers(info["shape"]), shape.count <= Self.maxRank,
                shape.allSatisfy({ $0 >= 0 })
            else {
                throw bad("shape is not a list of at most \(Self.maxRank) non-negative integers")
            }
            guard let offsets = Self.integers(info["data_offsets"]), offsets.count == 2,
                offsets[0] >= 0, offsets[0] <= offsets[1], offsets[1] <= bodyBytes
            else {
                throw bad("data_offsets outside the \(bodyBytes) data bytes, or not two increasing integers")
            }
            guard let count = ModelLimits.product(shape), let size = ModelLimits.product([count, width]) else {
                throw bad("shape \(shape) has more elements than can be counted")
            }
            guard offsets[1] - offsets[0] == size else {
                let span = offsets[1] - offsets[0]
                throw bad("shape \(shape) of \(dtype) needs \(size) bytes but data_offsets span \(span)")
            }
            tensors.append(
                Tensor(
                    name: name, dtype: dtype, shape: shape, count: count,
                    bytes: bodyStart + offsets[0]..<bodyStart + offsets[1]))
        }
        tensors.sort { ($0.bytes.lowerBound, $0.name) < ($1.bytes.lowerBound, $1.name) }
        for (a, b) in zip(tensors, tensors.dropFirst()) where a.bytes.upperBound > b.bytes.lowerBound {
            throw SafeTensorsError.badTensor(path: path, name: b.name, reason: "its bytes overlap tensor '\(a.name)'")
        }
        self.tensors = tensors
    }

    /// A JSON array of exact integers, or nil (fractions, numbers beyond ±2^62 and strings are refused).
    private static func integers(_ value: Any?) -> [Int]? {
        guard let items = value as? [Any] else { return nil }
        var out: [Int] = []
        out.reserveCapacity(items.count)
        for item in items {
            guard let number = item as? NSNumber else { return nil }
            let double = number.doubleValue
            // int64Value truncates fractions and wraps large values; both must agree with the double.
            guard double.rounded() == double, abs(double) < 0x1p62, Double(number.int64Value) == double else {
                return nil
            }
            out.append(Int(number.int64Value))
        }
        return out
    }

    /// Foundation's own explanation of a JSON error, without its object dump.
    private static func reason(_ error: Error) -> String {
        let ns = error as NSError
        return (ns.userInfo[NSDebugDescriptionErrorKey] as? String) ?? ns.localizedDescription
    }
}
