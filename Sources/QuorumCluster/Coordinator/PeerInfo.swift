/// What the transport says about the connection a message came on, beyond its routing id.
public struct PeerInfo: Equatable, Sendable {
    /// The CURVE public key (Z85) the connection authenticated with, when the coordinator checks keys.
    public var curveKey: String?
    /// The peer's IP address, when the transport is TCP.
    public var address: String?

    /// Connection details as far as they are known.
    public init(curveKey: String? = nil, address: String? = nil) {
        self.curveKey = curveKey
        self.address = address
    }
}
