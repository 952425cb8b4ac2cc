import CZeroMQ

/// A CURVE key pair as two 40-character Z85 strings, the form `ZMQ_CURVE_*KEY` options and key files use.
public struct CurveKeyPair: Sendable, Equatable {
    /// The public key, shared with peers.
    public let publicKey: String
    /// The secret key, kept private.
    public let secretKey: String

    /// A fresh random key pair from `zmq_curve_keypair` (libsodium's generator underneath).
    public static func generate() throws -> CurveKeyPair {
        var pub = [CChar](repeating: 0, count: 41)
        var sec = [CChar](repeating: 0, count: 41)
        guard zmq_curve_keypair(&pub, &sec) == 0 else { throw ZMQError.last("zmq_curve_keypair") }
        return CurveKeyPair(publicKey: String(cString: pub), secretKey: String(cString: sec))
    }

    /// The pair belonging to a known secret key (its public half is derived with `zmq_curve_public`).
    public init(secretKey: String) throws {
        guard secretKey.utf8.count == 40 else {
            throw ZMQError(
                operation: "curve secret key: expected 40 Z85 characters, got \(secretKey.utf8.count)",
                code: EINVAL)
        }
        var pub = [CChar](repeating: 0, count: 41)
        guard zmq_curve_public(&pub, secretKey) == 0 else { throw ZMQError.last("zmq_curve_public") }
        self.init(publicKey: String(cString: pub), secretKey: secretKey)
    }

    /// A pair from both halves as given.
    public init(publicKey: String, secretKey: String) {
        self.publicKey = publicKey
        self.secretKey = secretKey
    }
}
