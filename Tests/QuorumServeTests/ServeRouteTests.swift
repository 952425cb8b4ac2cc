import Foundation
import QuorumCore
import QuorumData
import QuorumEnsemble
import QuorumServe
import XCTest

/// The routes of `quorum serve` against a live server on loopback: a vote gives `quorum vote`'s bits, a batch
/// gives its singles' answers, batching happens under concurrent load, and the metrics count what was served.
final class ServeRouteTests: XCTestCase {
    /// What `quorum vote` computes for `file`: the loader, the predictor and the ensemble's rule.
    private func voteLikeTheCommand(file: URL) throws -> VoteResult {
        let predictor = try EnsemblePredictor(directory: try ServeFixture.ensemble)
        let loader = InputLoader(inputShape: predictor.manifest.inputShape, classes: predictor.classes)
        let members = predictor.predict(try loader.load(path: file.path).images, threads: 2)
        return Voting.vote(members, rule: predictor.manifest.voteRule, weights: predictor.manifest.weights)
    }

    private func answers(_ reply: HTTPTestClient.Reply, file: StaticString = #filePath, line: UInt = #line) throws
        -> [[String: Any]]
    {
        XCTAssertEqual(reply.status, 200, reply.text, file: file, line: line)
        return try XCTUnwrap(reply.json?["answers"] as? [[String: Any]], reply.text, file: file, line: line)
    }

    private func floats(_ value: Any?) throws -> [Float] {
        try XCTUnwrap(value as? [NSNumber]).map { Float($0.doubleValue) }
    }

    func testVoteOnAPNGGivesTheProbabilitiesOfQuorumVoteBitForBit() async throws {
        let server = try await LiveServer()
        defer { Task { await server.stop() } }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("serve-png-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for i in [0, 5, 11] {
            let png = ServeFixture.png(try ServeFixture.pixels(i))
            let file = dir.appendingPathComponent("image-\(i).png")
            try Data(png).write(to: file)
            let expected = try voteLikeTheCommand(file: file)
            let reply = try await server.client.send(
                "POST", "/v1/vote?members=1", headers: [("Content-Type", "image/png")], body: png)
            let answer = try XCTUnwrap(try answers(reply).first)
            let served = try floats(answer["probabilities"])
            XCTAssertEqual(served.map(\.bitPattern), expected.probabilities.map(\.bitPattern), "image \(i)")
            XCTAssertEqual(answer["class"] as? Int, Int(expected.predictions[0]))
            XCTAssertEqual(answer["rule"] as? String, "soft")
            XCTAssertEqual((answer["votes"] as? [Int])?.reduce(0, +), 3)
            XCTAssertEqual(
                (answer["members"] as? [[String: Any]])?.map { $0["name"] as? String },
                [
                    "member-1", "member-2", "member-3"
                ])
        }
    }

    func testABatchAnswersAsItsSinglesDoWhateverTheFormat() async throws {
        let server = try await LiveServer()
        defer { Task { await server.stop() } }
        let picks = [1, 2, 3, 4]
        var singles: [[Float]] = []
        for (k, i) in picks.enumerated() {
            let pixels = try ServeFixture.pixels(i)
            // Each image in another of the accepted forms: PNG, PGM, raw pixels with a shape, PNG again.
            let request: (String, [(String, String)], [UInt8]) =
                switch k % 3 {
                case 0: ("PNG", [("Content-Type", "image/png")], ServeFixture.png(pixels))
                case 1: ("PGM", [("Content-Type", "image/x-portable-graymap")], ServeFixture.pgm(pixels))
                default: ("raw", [("Content-Type", "application/octet-stream"), ("X-Image-Shape", "8,8,1")], pixels)
                }
            let reply = try await server.client.send("POST", "/v1/vote", headers: request.1, body: request.2)
            singles.append(try floats(try answers(reply).first?["probabilities"]))
        }
        var body: [UInt8] = []
        let boundary = "quorum-test-boundary"
        for i in picks {
            body += Array("--\(boundary)\r\n".utf8)
            body += Array("Content-Disposition: form-data; name=\"image\"; filename=\"t\(i).png\"\r\n".utf8)
            body += Array("Content-Type: image/png\r\n\r\n".utf8) + ServeFixture.png(try ServeFixture.pixels(i))
            body += Array("\r\n".utf8)
        }
        body += Array("--\(boundary)--\r\n".utf8)
        let reply = try await server.client.send(
            "POST", "/v1/vote", headers: [("Content-Type", "multipart/form-data; boundary=\(boundary)")], body: body)
        let batch = try answers(reply)
        XCTAssertEqual(reply.json?["images"] as? Int, picks.count)
        XCTAssertEqual(batch.map { $0["name"] as? String }, picks.map { "t\($0).png" })
        for (k, answer) in batch.enumerated() {
            XCTAssertEqual(
                try floats(answer["probabilities"]).map(\.bitPattern), singles[k].map(\.bitPattern), "image \(k)")
        }
    }

    func testConcurrentRequestsShareBatchesAndEachGetsItsOwnAnswer() async throws {
        // A long delay so that requests sent together surely meet in one batch.
        let server = try await LiveServer(ServeSettings(maxDelay: .milliseconds(300), maxBatch: 64))
        defer { Task { await server.stop() } }
        let batch = try ServeFixture.testBatch()
        let expected = try voteLikeTheCommand(file: try ServeFixture.testImages)
        let client = server.client
        let served = try await withThrowingTaskGroup(of: (Int, [Float]).self) { group in
            for i in 0..<batch.images.count {
                let pixels = try ServeFixture.pixels(i)
                group.addTask {
                    let reply = try await client.send(
                        "POST", "/v1/vote", headers: [("X-Image-Shape", "8,8,1")], body: pixels)
                    let answer = try XCTUnwrap((reply.json?["answers"] as? [[String: Any]])?.first, reply.text)
                    return (i, try XCTUnwrap(answer["probabilities"] as? [NSNumber]).map { Float($0.doubleValue) })
                }
            }
            var out: [Int: [Float]] = [:]
            for try await (i, p) in group { out[i] = p }
            return out
        }
        for i in 0..<batch.images.count {
            XCTAssertEqual(
                served[i]?.map(\.bitPattern), expected.probabilities[(i * 10)..<((i + 1) * 10)].map(\.bitPattern),
                "image \(i) answered with another image's probabilities, or other bits")
        }
        let metrics = try await server.client.send("GET", "/metrics").text
        let batches = try XCTUnwrap(Self.value(in: metrics, "quorum_serve_batch_size_images_count"))
        let images = try XCTUnwrap(Self.value(in: metrics, "quorum_serve_images_voted_total"))
        XCTAssertEqual(images, Double(batch.images.count))
        XCTAssertLessThan(batches, images, "\(Int(images)) requests sent together ran as \(Int(batches)) batches")
    }

    func testMetricsCountRequestsImagesAndLoadTime() async throws {
        let server = try await LiveServer()
        defer { Task { await server.stop() } }
        let key = #"quorum_serve_requests_total{route="/v1/vote",status="200"}"#
        let before = try await server.client.send("GET", "/metrics")
        XCTAssertEqual(before.status, 200)
        XCTAssertTrue(before.headers["content-type"]?.hasPrefix("text/plain") == true)
        XCTAssertNil(Self.value(in: before.text, key), "no vote was answered yet")
        XCTAssertGreaterThan(try XCTUnwrap(Self.value(in: before.text, "quorum_serve_model_load_seconds")), 0)
        for _ in 0..<3 {
            let reply = try await server.client.send(
                "POST", "/v1/vote", headers: [("X-Image-Shape", "8,8,1")], body: try ServeFixture.pixels(0))
            XCTAssertEqual(reply.status, 200, reply.text)
        }
        _ = try await server.client.send("POST", "/v1/vote", body: [])
        let after = try await server.client.send("GET", "/metrics").text
        XCTAssertEqual(Self.value(in: after, key), 3, after)
        XCTAssertEqual(Self.value(in: after, #"quorum_serve_requests_total{route="/v1/vote",status="400"}"#), 1)
        XCTAssertEqual(Self.value(in: after, "quorum_serve_images_voted_total"), 3)
        XCTAssertEqual(Self.value(in: after, #"quorum_serve_request_duration_seconds_count{route="/v1/vote"}"#), 4)
        XCTAssertEqual(Self.value(in: after, "quorum_serve_ready"), 1)
    }

    func testEnsembleHealthAndOpenAPIRoutes() async throws {
        let server = try await LiveServer()
        defer { Task { await server.stop() } }
        let ensemble = try await server.client.send("GET", "/v1/ensemble")
        XCTAssertEqual(ensemble.status, 200, ensemble.text)
        let body = try XCTUnwrap(ensemble.json)
        XCTAssertEqual(body["input_shape"] as? [Int], [8, 8, 1])
        XCTAssertEqual((body["class_names"] as? [String])?.count, 10)
        XCTAssertEqual(body["vote_rule"] as? String, "soft")
        XCTAssertEqual(body["test_time_augmentation"] as? String, "none")
        XCTAssertEqual((body["members"] as? [[String: Any]])?.map { $0["seed"] as? Int }, [1, 2, 3])
        let health = try await server.client.send("GET", "/healthz")
        XCTAssertEqual(health.json?["status"] as? String, "ok")
        let ready = try await server.client.send("GET", "/readyz")
        XCTAssertEqual(ready.json?["members"] as? Int, 3)
        let openapi = try await server.client.send("GET", "/openapi.yaml")
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let document = try String(contentsOf: root.appendingPathComponent("docs/openapi.yaml"), encoding: .utf8)
        XCTAssertEqual(openapi.text, document, "/openapi.yaml must serve docs/openapi.yaml as it is")
        let page = try await server.client.send("GET", "/")
        XCTAssertTrue(page.text.contains("<main>"))
        XCTAssertFalse(page.text.contains("http://") || page.text.contains("https://"), "no external asset")
    }

    /// The value of the sample named `key` (with its labels) in Prometheus text.
    static func value(in text: String, _ key: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(key + " ") {
            return Double(line.dropFirst(key.count + 1))
        }
        return nil
    }
}
