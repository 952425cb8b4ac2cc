import ArgumentParser
import Foundation
import QuorumCluster

extension Quorum {
    /// `quorum keygen`: a CURVE key pair for a coordinator or a worker.
    struct Keygen: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a CURVE key pair: NAME.key (secret, mode 0600) and NAME.pub (public), as Z85 text.",
            discussion: """
                Example:
                  quorum keygen --out keys --name coordinator
                  quorum keygen --out keys --name worker-1

                Give the coordinator its .key with --curve-key and a folder of the workers' .pub files with \
                --authorized-keys; give each worker its own .key and the coordinator's .pub with --server-key.
                """)

        @Option(help: "Folder to write the key files into (created if missing).")
        var out: String

        @Option(help: "Base name of the two files.")
        var name: String = "quorum"

        func validate() throws {
            if name.isEmpty || name.contains("/") || name.hasPrefix(".") {
                throw ValidationError("--name must be a plain file name, got '\(name)'")
            }
        }

        func run() throws {
            let pair = try CurveKeyPair.generate()
            let (secret, pub) = try KeyFiles.write(pair, to: URL(fileURLWithPath: out), name: name)
            print("secret key \(secret.path) (mode 600)")
            print("public key \(pub.path): \(pair.publicKey)")
        }
    }
}
