/// Why a worker gave up on its coordinator for good.
public enum WorkerError: Error, CustomStringConvertible, Equatable {
    /// CURVE handshakes kept failing: the coordinator refused this worker's key, or the server key is wrong.
    case handshakeFailed(endpoint: String, seconds: Double, detail: String)
    /// Handshakes kept failing and this worker has no CURVE keys: the coordinator most likely requires CURVE.
    case curveRequired(endpoint: String, seconds: Double, detail: String)

    /// Human-readable text naming the endpoint and what to check.
    public var description: String {
        switch self {
        case .handshakeFailed(let endpoint, let seconds, let detail):
            return
                "the CURVE handshake with \(endpoint) failed for \(Int(seconds.rounded())) s (\(detail)); check that this "
                + "worker's public key is in the coordinator's --authorized-keys folder and that --server-key is the coordinator's public key"
        case .curveRequired(let endpoint, let seconds, let detail):
            return
                "the handshake with \(endpoint) failed for \(Int(seconds.rounded())) s (\(detail)); the coordinator most likely "
                + "runs with CURVE (--curve-key): give this worker --curve-key with its secret key file and --server-key with "
                + "the coordinator's public key"
        }
    }
}
