import Foundation
import QuorumCore

/// Any JSON value, kept as parsed so opaque parts of a header (a job's training configuration, a
/// training history) travel through the cluster untouched without the cluster knowing their shape.
public enum JSONValue: Equatable, Sendable, Codable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number written without fraction or exponent that fits in 64 bits (seeds, counts).
    case integer(Int64)
    /// Any other number.
    case number(Double)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object.
    case object([String: JSONValue])

    /// Decodes any JSON value, keeping integers exact.
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null; return }
        if let b = try? c.decode(Bool.self) { self = .bool(b); return }
        if let i = try? c.decode(Int64.self) { self = .integer(i); return }
        if let d = try? c.decode(Double.self) { self = .number(d); return }
        if let s = try? c.decode(String.self) { self = .string(s); return }
        if let a = try? c.decode([JSONValue].self) { self = .array(a); return }
        if let o = try? c.decode([String: JSONValue].self) { self = .object(o); return }
        throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a JSON value")
    }

    /// Encodes the value as it was parsed.
    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .integer(let i): try c.encode(i)
        case .number(let d): try c.encode(d)
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }

    /// Parses UTF-8 JSON text.
    public init(data: Data) throws { self = try JSONCoding.decoder(keys: .declared).decode(JSONValue.self, from: data) }

    /// The value as compact UTF-8 JSON text with sorted keys.
    public func jsonData() throws -> Data {
        try JSONCoding.wireEncoder().encode(self)
    }

    /// Whether this is an object.
    public var isObject: Bool { if case .object = self { return true } else { return false } }

    /// Whether this is an array.
    public var isArray: Bool { if case .array = self { return true } else { return false } }
}
