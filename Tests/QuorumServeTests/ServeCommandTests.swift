import Foundation
import XCTest

/// `quorum serve` as a process: a non-loopback address needs a token or --insecure, and SIGTERM lets a
/// request in flight finish before the process exits.
final class ServeCommandTests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("quorum-serve-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { if let dir { try? FileManager.default.removeItem(at: dir) } }

    /// The `quorum` executable `swift build` put beside the test bundle (or `QUORUM_BINARY`).
    private var binary: String {
        if let path = ProcessInfo.processInfo.environment["QUORUM_BINARY"] { return path }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/quorum").path
    }

    private func start(_ arguments: [String]) throws -> (Process, URL) {
        let err = dir.appendingPathComponent("stderr-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["serve"] + arguments
        process.standardError = try FileHandle(forWritingTo: err)
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return (process, err)
    }

    private func waitForExit(_ process: Process, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        return !process.isRunning
    }

    func testANonLoopbackBindNeedsATokenFileOrInsecure() throws {
        let (process, err) = try start(["--ensemble", try ServeFixture.ensemble.path, "--bind", "0.0.0.0:0"])
        XCTAssertTrue(waitForExit(process, seconds: 30))
        if process.isRunning { process.terminate() }
        XCTAssertNotEqual(process.terminationStatus, 0)
        let text = try String(contentsOf: err, encoding: .utf8)
        XCTAssertTrue(text.contains("--token-file") && text.contains("--insecure"), text)
    }

    func testSIGTERMFinishesTheRequestInFlight() async throws {
        let (process, err) = try start(["--ensemble", try ServeFixture.ensemble.path, "--bind", "127.0.0.1:0"])
        defer {
            if process.isRunning {
                process.interrupt(); _ = waitForExit(process, seconds: 5); kill(process.processIdentifier, SIGKILL)
            }
        }
        var port: Int?
        for _ in 0..<600 where port == nil && process.isRunning {
            let text = (try? String(contentsOf: err, encoding: .utf8)) ?? ""
            port = text.components(separatedBy: "listening on http://127.0.0.1:").dropFirst().first
                .flatMap { Int($0.prefix { $0.isNumber }) }
            if port == nil { usleep(50_000) }
        }
        let client = HTTPTestClient(port: try XCTUnwrap(port, (try? String(contentsOf: err, encoding: .utf8)) ?? ""))
        for _ in 0..<600 {
            if (try? await client.send("GET", "/readyz"))?.status == 200 { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        // Half a request, SIGTERM, then the other half: the answer still comes, then the process exits cleanly.
        let image = try ServeFixture.pixels(4)
        let socket = try client.connect()
        defer { close(socket) }
        try client.write(socket, client.head("POST", "/v1/vote", [("X-Image-Shape", "8,8,1")], image.count))
        try client.write(socket, Array(image.prefix(20)))
        try await Task.sleep(for: .milliseconds(300))
        kill(process.processIdentifier, SIGTERM)
        try await Task.sleep(for: .milliseconds(500))
        XCTAssertTrue(process.isRunning, "the server must wait for the request in flight")
        try client.write(socket, Array(image.dropFirst(20)))
        let reply = try HTTPTestClient.parse(try client.readAll(socket))
        XCTAssertEqual(reply.status, 200, reply.text)
        XCTAssertEqual((reply.json?["answers"] as? [[String: Any]])?.count, 1)
        XCTAssertTrue(waitForExit(process, seconds: 30), "the server did not exit after SIGTERM")
        XCTAssertEqual(process.terminationStatus, 0, (try? String(contentsOf: err, encoding: .utf8)) ?? "")
    }
}
