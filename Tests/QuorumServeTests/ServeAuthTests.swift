import Foundation
import QuorumServe
import XCTest

/// With a token, `/v1/` and `/metrics` answer 401 to a missing or wrong bearer token and 200 to the right one;
/// probes, the page and the API description stay open.
final class ServeAuthTests: XCTestCase {
    func testMissingOrWrongTokenGets401AndTheRightOneGets200() async throws {
        let token = "s3cret-token-\(UUID().uuidString)"
        let server = try await LiveServer(ServeSettings(token: token))
        defer { Task { await server.stop() } }
        let client = server.client
        let image = try ServeFixture.pixels(3)
        for path in ["/v1/ensemble", "/metrics", "/v1/examples"] {
            let none = try await client.send("GET", path)
            XCTAssertEqual(none.status, 401, "\(path) without a token")
            XCTAssertEqual(none.headers["www-authenticate"], #"Bearer realm="quorum""#)
            XCTAssertTrue((none.json?["error"] as? String)?.contains("Authorization: Bearer") == true, none.text)
            let wrong = try await client.send("GET", path, headers: [("Authorization", "Bearer \(token.dropLast())x")])
            XCTAssertEqual(wrong.status, 401, "\(path) with a wrong token")
            XCTAssertEqual(wrong.json?["error"] as? String, "the bearer token is wrong")
            let right = try await client.send("GET", path, headers: [("Authorization", "Bearer \(token)")])
            XCTAssertEqual(right.status, 200, "\(path) with the token: \(right.text)")
        }
        let refused = try await client.send(
            "POST", "/v1/vote", headers: [("X-Image-Shape", "8,8,1"), ("Authorization", "Basic \(token)")], body: image)
        XCTAssertEqual(refused.status, 401)
        let voted = try await client.send(
            "POST", "/v1/vote", headers: [("X-Image-Shape", "8,8,1"), ("Authorization", "Bearer \(token)")], body: image
        )
        XCTAssertEqual(voted.status, 200, voted.text)
        for path in ["/healthz", "/readyz", "/", "/openapi.yaml"] {
            let open = try await client.send("GET", path)
            XCTAssertEqual(open.status, 200, "\(path) stays open")
        }
    }

    func testLoopbackAddressesAreTold() {
        for text in ["127.0.0.1:8080", "localhost:1", "[::1]:80", "127.1.2.3:0"] {
            XCTAssertEqual(ServeAddress(parsing: text)?.isLoopback, true, text)
        }
        for text in ["0.0.0.0:8080", "192.168.1.2:80", "[::]:80", "example.org:80", "127.0.0.256:1"] {
            XCTAssertEqual(ServeAddress(parsing: text)?.isLoopback, false, text)
        }
        for text in ["127.0.0.1", ":80", "127.0.0.1:65536", "127.0.0.1:x"] {
            XCTAssertNil(ServeAddress(parsing: text), text)
        }
    }
}
