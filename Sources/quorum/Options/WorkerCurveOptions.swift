import ArgumentParser
import QuorumCluster

/// A worker's CURVE flags: the key it presents and the coordinator's it expects. Shared by `worker` and by
/// `loadtest`, whose simulated workers all present the same key.
struct WorkerCurveOptions: ParsableArguments {
    @Option(help: "The worker's CURVE secret key file (from 'quorum keygen'); needs --server-key.")
    var curveKey: String?

    @Option(help: "The coordinator's CURVE public key file (its .pub).")
    var serverKey: String?

    func validate() throws {
        if (curveKey == nil) != (serverKey == nil) {
            throw ValidationError("--curve-key and --server-key go together")
        }
    }

    /// The worker's key pair and the coordinator's public key, read from their files; nil without CURVE.
    func keys() throws -> (worker: CurveKeyPair, server: String)? {
        guard let curveKey, let serverKey else { return nil }
        return (try KeyFiles.readSecret(curveKey), try KeyFiles.readPublic(serverKey))
    }
}
