import Foundation
import Logging
import QuorumServe
import XCTest

/// An `EnsembleServer` on 127.0.0.1 with a port the system picks, running until `stop()`.
final class LiveServer {
    let port: Int
    let client: HTTPTestClient
    private let task: Task<Void, Error>

    /// Starts a server for the fixture ensemble with `settings` (its address is replaced) and waits until
    /// `/readyz` answers 200.
    init(_ settings: ServeSettings = ServeSettings()) async throws {
        var settings = settings
        settings.address = ServeAddress(host: "127.0.0.1", port: 0)
        var logger = Logger(label: "serve-test")
        logger.logLevel = .critical  // a cancelled server logs its cancelled connections as errors
        let server = EnsembleServer(directory: try ServeFixture.ensemble, settings: settings, logger: logger)
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let application = server.application { port in continuation.yield(port) }
        task = Task { try await application.run() }
        var found: Int?
        for await port in ports {
            found = port
            break
        }
        port = try XCTUnwrap(found, "the server never said which port it listens on")
        client = HTTPTestClient(port: port)
        let headers = settings.token.map { [("Authorization", "Bearer \($0)")] } ?? []
        for _ in 0..<600 {
            if try await client.send("GET", "/readyz", headers: headers).status == 200 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        XCTFail("/readyz did not answer 200 within 30 s")
    }

    /// Stops the server (as a graceful shutdown) and waits for it.
    func stop() async {
        task.cancel()
        _ = try? await task.value
    }
}
