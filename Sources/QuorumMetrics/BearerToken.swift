import Foundation

/// A bearer token compared in constant time: the time a comparison takes depends on the lengths only,
/// not on where the first wrong byte is, so a client cannot find the token byte by byte. `quorum serve` and the
/// coordinator's metrics endpoint check it.
public struct BearerToken: Sendable {
    private let bytes: [UInt8]

    /// The token, with surrounding white space (a token file's final newline) removed.
    public init(_ text: String) {
        bytes = Array(text.trimmingCharacters(in: .whitespacesAndNewlines).utf8)
    }

    /// True when `header` (an Authorization value) is `Bearer <token>`.
    public func accepts(authorization header: String?) -> Bool {
        guard let header, header.count > 7, header.prefix(7).lowercased() == "bearer " else { return false }
        return Self.equal(Array(header.utf8.dropFirst(7)), bytes)
    }

    /// Equality whose running time does not depend on the contents.
    public static func equal(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference: UInt8 = a.count == b.count ? 0 : 1
        for i in 0..<max(a.count, b.count) {
            difference |= (i < a.count ? a[i] : 0) ^ (i < b.count ? b[i] : 0)
        }
        return difference == 0
    }
}
