import ArgumentParser
import Dispatch
import Foundation
import Logging
import QuorumEnsemble
import QuorumServe

extension Quorum {
    /// `quorum serve`: an ensemble answering votes over HTTP, with dynamic batching and Prometheus metrics.
    struct Serve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Serve an ensemble over HTTP: votes, metrics, a page to try it (docs/serving.md).",
            discussion: """
                POST /v1/vote takes one PNG, JPEG or PGM image (or raw pixels with an X-Image-Shape: H,W,C header), \
                or a multipart/form-data batch, and answers with the same probabilities as 'quorum vote'. \
                Requests arriving within --max-delay-ms of each other are voted together, up to --max-batch images. \
                GET /v1/ensemble describes the ensemble, /healthz and /readyz answer probes, /metrics is in \
                Prometheus text format, / is a page to try it and /openapi.yaml the API. \
                A --bind address other than loopback needs --token-file (a bearer token) or --insecure. \
                SIGTERM or SIGINT stop the server after the requests in flight are answered.
                """)

        @Option(help: "The ensemble folder (ensemble.json and the member model files).")
        var ensemble: String

        @Option(help: "The address to listen on, HOST:PORT ([::1]:PORT for IPv6; port 0 picks a free one).")
        var bind = "127.0.0.1:8080"

        @Option(help: "How long the first waiting request waits for others to share its batch, in milliseconds.")
        var maxDelayMs = 2

        @Option(help: "The most images voted in one batch.")
        var maxBatch = 64

        @Option(help: "The largest request body accepted, in bytes (8 MiB by default).")
        var maxBody = 8 << 20

        @Option(help: "The most images one request may carry.")
        var maxImages = 64

        @Option(help: "A file holding the bearer token that /v1/ and /metrics requests must send.")
        var tokenFile: String?

        @Flag(help: "Allow a non-loopback --bind without --token-file, on a network you trust.")
        var insecure = false

        @Option(help: "Test images the page offers (any input 'quorum vote' reads; the first 12 are used).")
        var examples: String?

        @Option(help: "Threads the engine uses.")
        var threads = ProcessInfo.processInfo.activeProcessorCount

        func validate() throws {
            guard let address = ServeAddress(parsing: bind) else {
                throw ValidationError("--bind: expected HOST:PORT with a port from 0 to 65535, got '\(bind)'")
            }
            if tokenFile == nil && !insecure && !address.isLoopback {
                throw ValidationError(
                    "--bind \(bind) is reachable from other machines: give --token-file with a bearer token, "
                        + "or add --insecure on a network you trust")
            }
            guard maxDelayMs >= 0 else { throw ValidationError("--max-delay-ms must be 0 or more") }
            guard maxBatch >= 1 else { throw ValidationError("--max-batch must be at least 1") }
            guard maxBody >= 1 else { throw ValidationError("--max-body must be at least 1 byte") }
            guard maxImages >= 1 else { throw ValidationError("--max-images must be at least 1") }
            guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
        }

        func run() throws {
            let address = ServeAddress(parsing: bind)!
            var settings = ServeSettings(
                address: address, maxDelay: .milliseconds(maxDelayMs), maxBatch: maxBatch, maxBody: maxBody,
                maxImages: maxImages, threads: threads)
            if let tokenFile {
                let token = try String(contentsOfFile: tokenFile, encoding: .utf8)
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                guard !token.isEmpty else { throw ValidationError("--token-file \(tokenFile): the file is empty") }
                settings.token = token
            } else if !address.isLoopback {
                Terminal.log("warning: --insecure: \(bind) answers anyone who can reach it, without a token")
            }
            // The manifest is read now, so that a wrong folder fails before the server listens; the members load
            // once it does (see /readyz).
            let manifest = try EnsembleManifest.load(from: URL(fileURLWithPath: ensemble))
            if let examples {
                let loader = InputLoader(inputShape: manifest.inputShape, classes: manifest.classNames.count)
                settings.examples = ServeExamples(batch: try loader.load(path: examples))
            }
            let server = EnsembleServer(
                directory: URL(fileURLWithPath: ensemble), settings: settings, logger: Logger(label: "serve"))
            let application = server.application { port in
                var shown = address
                shown.port = port
                Terminal.log("listening on http://\(shown)/ (page), /v1/vote, /metrics")
            }
            let outcome = Outcome()
            Task {
                do { try await application.runService() } catch { outcome.error = error }
                outcome.done.signal()
            }
            outcome.done.wait()
            if let error = outcome.error { throw error }
        }
    }
}

/// How the server's task ended, handed to the waiting main thread.
private final class Outcome: @unchecked Sendable {
    // Written by the task before `done` is signalled, read by the main thread after: the semaphore orders them.
    var error: Error?
    let done = DispatchSemaphore(value: 0)
}
