import Foundation
import QuorumServe
import XCTest

/// Every kind of bad request gets its 4xx status and a JSON error naming the problem, and the server goes on
/// answering: each case is followed by a good vote on the same server.
final class ServeBadInputTests: XCTestCase {
    private static let maxBody = 4096
    private static let maxImages = 3

    private func assertRefused(
        _ server: LiveServer, status: Int, mentioning words: [String], file: StaticString = #filePath,
        line: UInt = #line, _ send: () async throws -> HTTPTestClient.Reply
    ) async throws {
        let reply = try await send()
        XCTAssertEqual(reply.status, status, reply.text, file: file, line: line)
        XCTAssertTrue(reply.headers["content-type"]?.hasPrefix("application/json") == true, file: file, line: line)
        let message = try XCTUnwrap(reply.json?["error"] as? String, reply.text, file: file, line: line)
        XCTAssertEqual(reply.json?["status"] as? Int, status, file: file, line: line)
        for word in words {
            XCTAssertTrue(message.contains(word), "'\(message)' does not mention '\(word)'", file: file, line: line)
        }
        let good = try await server.client.send(
            "POST", "/v1/vote", headers: [("Content-Type", "image/png")], body: ServeFixture.png(ServeFixture.pixels(0))
        )
        XCTAssertEqual(good.status, 200, "the next good request: \(good.text)", file: file, line: line)
    }

    private func multipart(_ parts: [[UInt8]], boundary: String = "b0undary") -> [UInt8] {
        var body: [UInt8] = []
        for (i, part) in parts.enumerated() {
            body += Array(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"f\"; filename=\"p\(i).png\"\r\n".utf8)
            body += Array("Content-Type: image/png\r\n\r\n".utf8) + part + Array("\r\n".utf8)
        }
        return body + Array("--\(boundary)--\r\n".utf8)
    }

    func testEveryBadInputGetsItsStatusAndAJSONErrorAndTheServerGoesOn() async throws {
        let server = try await LiveServer(ServeSettings(maxBody: Self.maxBody, maxImages: Self.maxImages))
        defer { Task { await server.stop() } }
        let client = server.client
        let png = ServeFixture.png(try ServeFixture.pixels(0))

        try await assertRefused(server, status: 400, mentioning: ["empty"]) {
            try await client.send("POST", "/v1/vote", headers: [("Content-Type", "image/png")], body: [])
        }
        // A PNG cut short: the reader's message names the part.
        try await assertRefused(server, status: 400, mentioning: ["body"]) {
            try await client.send(
                "POST", "/v1/vote", headers: [("Content-Type", "image/png")], body: Array(png.prefix(40)))
        }
        try await assertRefused(server, status: 415, mentioning: ["text/plain", "image/png"]) {
            try await client.send("POST", "/v1/vote", headers: [("Content-Type", "text/plain")], body: Array("hi".utf8))
        }
        try await assertRefused(server, status: 415, mentioning: ["first bytes"]) {
            try await client.send(
                "POST", "/v1/vote", headers: [("Content-Type", "application/octet-stream")],
                body: Array("GIF89a..".utf8))
        }
        try await assertRefused(server, status: 422, mentioning: ["9×9", "8×8"]) {
            try await client.send(
                "POST", "/v1/vote", headers: [("X-Image-Shape", "9,9,1")], body: .init(repeating: 0, count: 81))
        }
        try await assertRefused(server, status: 422, mentioning: ["63 bytes", "64"]) {
            try await client.send(
                "POST", "/v1/vote", headers: [("X-Image-Shape", "8,8,1")], body: .init(repeating: 0, count: 63))
        }
        try await assertRefused(server, status: 400, mentioning: ["X-Image-Shape"]) {
            try await client.send("POST", "/v1/vote", headers: [("X-Image-Shape", "eight")], body: [1])
        }
        try await assertRefused(server, status: 413, mentioning: ["\(Self.maxImages + 1) images", "\(Self.maxImages)"])
        {
            try await client.send(
                "POST", "/v1/vote", headers: [("Content-Type", "multipart/form-data; boundary=b0undary")],
                body: multipart(Array(repeating: png, count: Self.maxImages + 1)))
        }
        try await assertRefused(server, status: 400, mentioning: ["boundary"]) {
            try await client.send("POST", "/v1/vote", headers: [("Content-Type", "multipart/form-data")], body: png)
        }
        try await assertRefused(server, status: 400, mentioning: ["members"]) {
            try await client.send("POST", "/v1/vote?members=maybe", body: png)
        }
        try await assertRefused(server, status: 405, mentioning: ["/v1/vote", "GET", "POST"]) {
            try await client.send("GET", "/v1/vote")
        }
        try await assertRefused(server, status: 404, mentioning: ["/v2/vote"]) {
            try await client.send("POST", "/v2/vote", body: png)
        }
    }

    func testABodyOverTheLimitIsRefusedBeforeItIsReadInFull() async throws {
        let server = try await LiveServer(ServeSettings(maxBody: Self.maxBody))
        defer { Task { await server.stop() } }
        let client = server.client
        // A Content-Length of 1 GiB with only 100 bytes sent: the answer comes without the rest of the body.
        try await assertRefused(server, status: 413, mentioning: ["1073741824", "\(Self.maxBody)"]) {
            try await client.send("POST", "/v1/vote", body: .init(repeating: 7, count: 100), contentLength: 1 << 30)
        }
        // A chunked body with no length: refused once more than the limit has streamed in.
        let chunk = [UInt8](repeating: 1, count: 1000)
        var chunked: [UInt8] = []
        for _ in 0..<6 { chunked += Array("3e8\r\n".utf8) + chunk + Array("\r\n".utf8) }
        chunked += Array("0\r\n\r\n".utf8)
        try await assertRefused(server, status: 413, mentioning: ["\(Self.maxBody)"]) {
            try await client.send(
                "POST", "/v1/vote", headers: [("Transfer-Encoding", "chunked")], body: chunked, contentLength: -1)
        }
    }
}
