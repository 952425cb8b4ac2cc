import ArgumentParser
import QuorumCore
import QuorumData
import QuorumEnsemble
import QuorumTraining

/// The coordinator's CURVE flags.
struct CurveOptions: ParsableArguments {
    @Option(help: "This coordinator's CURVE secret key file (from 'quorum keygen'); turns on encryption.")
    var curveKey: String?

    @Option(help: "Folder of the workers' public key files (*.pub) allowed to connect; required with --curve-key.")
    var authorizedKeys: String?

    @Flag(
        help: """
            Allow a non-loopback --bind without CURVE keys: anyone who can reach the port can join and read the data.
            """)
    var insecure = false

    func validate() throws {
        if (curveKey == nil) != (authorizedKeys == nil) {
            throw ValidationError("--curve-key and --authorized-keys go together")
        }
    }
}
