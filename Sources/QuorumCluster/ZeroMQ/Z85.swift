import Foundation
import CZeroMQ

/// ZeroMQ's Z85 text encoding of binary data (RFC 32/Z85), used for CURVE keys.
public enum Z85 {
    /// Encodes `data`, whose length must be a multiple of 4, as Z85 text (5 characters per 4 bytes).
    public static func encode(_ data: Data) throws -> String {
        guard data.count % 4 == 0 else {
            throw ZMQError(operation: "Z85 encode: length \(data.count) is not a multiple of 4", code: EINVAL)
        }
        var out = [CChar](repeating: 0, count: data.count / 4 * 5 + 1)
        let ok = data.withUnsafeBytes { raw -> Bool in
            let bytes = raw.bindMemory(to: UInt8.self)
            return zmq_z85_encode(&out, bytes.baseAddress, bytes.count) != nil
        }
        guard ok || data.isEmpty else { throw ZMQError.last("zmq_z85_encode") }
        return String(cString: out)
    }

    /// Decodes Z85 text, whose length must be a multiple of 5, back into bytes.
    public static func decode(_ text: String) throws -> Data {
        let count = text.utf8.count
        guard count % 5 == 0 else {
            throw ZMQError(operation: "Z85 decode: length \(count) is not a multiple of 5", code: EINVAL)
        }
        // zmq_z85_decode rejects characters outside the alphabet by returning NULL.
        let alphabet = Set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#".utf8)
        guard text.utf8.allSatisfy({ alphabet.contains($0) }) else {
            throw ZMQError(operation: "Z85 decode: text holds a character outside the Z85 alphabet", code: EINVAL)
        }
        var out = [UInt8](repeating: 0, count: count / 5 * 4)
        if count == 0 { return Data() }
        guard zmq_z85_decode(&out, text) != nil else { throw ZMQError.last("zmq_z85_decode") }
        return Data(out)
    }
}
