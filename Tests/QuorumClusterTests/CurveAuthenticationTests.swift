import Foundation
import XCTest
@testable import QuorumCluster
import QuorumTestSupport

final class CurveAuthenticationTests: XCTestCase {
    func testAuthorizedWorkerCompletesAndUnknownKeyIsRefusedLoggedAndGivesUpAfterTheTimeout() throws {
        let server = try CurveKeyPair.generate(), good = try CurveKeyPair.generate(),
            stranger = try CurveKeyPair.generate()
        let coordinator = try Harness.Coordinator(
            jobs: 2, curveSecretKey: server.secretKey, authorizedKeys: [good.publicKey])
        let run = coordinator.start()
        var refusedSettings = Harness.fastWorker
        refusedSettings.curveServerKey = server.publicKey
        refusedSettings.curveKeys = stranger
        refusedSettings.handshakeTimeout = 1
        let started = Date()
        let (_, refused) = try Harness.startWorker(coordinator.endpoint, host: "stranger", settings: refusedSettings) {
            _, _, _ in
            XCTFail("a refused worker must never get a job")
            throw PermanentJobError("unreachable")
        }
        let refusal = try XCTUnwrap(refused.wait(8), "the refused worker must not hang")
        XCTAssertThrowsError(try refusal.get()) { error in
            guard case .handshakeFailed(_, _, let detail)? = error as? WorkerError else { return XCTFail("\(error)") }
            XCTAssertTrue(detail.contains("refused"), detail)
            XCTAssertTrue("\(error)".contains("--authorized-keys"), "\(error)")
        }
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(started), 1)
        var goodSettings = Harness.fastWorker
        goodSettings.curveServerKey = server.publicKey
        goodSettings.curveKeys = good
        let (_, accepted) = try Harness.startWorker(coordinator.endpoint, host: "trusted", settings: goodSettings)
        XCTAssertEqual(try run.wait(8)?.get(), .complete)
        XCTAssertEqual(try accepted.wait(3)?.get(), .disconnected(reason: "run complete"))
        XCTAssertEqual(coordinator.completed.all.count, 2)
        let refusals = coordinator.logs.all.filter { $0.contains("refused a worker at 127.0.0.1") }
        XCTAssertFalse(refusals.isEmpty, "\(coordinator.logs.all)")
        XCTAssertTrue(refusals[0].contains(stranger.publicKey), refusals[0])
    }

    func testWorkerWithTheWrongServerKeyGivesUpWithAClearError() throws {
        let server = try CurveKeyPair.generate(), worker = try CurveKeyPair.generate(),
            impostor = try CurveKeyPair.generate()
        let coordinator = try Harness.Coordinator(
            jobs: 1, curveSecretKey: server.secretKey, authorizedKeys: [worker.publicKey])
        let run = coordinator.start()
        defer { coordinator.server.requestStop(); _ = run.wait(3) }
        var settings = Harness.fastWorker
        settings.curveServerKey = impostor.publicKey
        settings.curveKeys = worker
        settings.handshakeTimeout = 1
        let (_, client) = try Harness.startWorker(coordinator.endpoint, host: "confused", settings: settings)
        let result = try XCTUnwrap(client.wait(8), "a worker with the wrong server key must not hang")
        XCTAssertThrowsError(try result.get()) { XCTAssertTrue("\($0)".contains("--server-key"), "\($0)") }
        XCTAssertTrue(coordinator.completed.all.isEmpty)
    }

    func testClientsWithoutCurveOrWithTheWrongServerKeyAreLoggedWithTheirAddressOncePerInterval() throws {
        let server = try CurveKeyPair.generate(), key = try CurveKeyPair.generate()
        let impostor = try CurveKeyPair.generate()
        let coordinator = try Harness.Coordinator(
            jobs: 1, curveSecretKey: server.secretKey,
            authorizedKeys: [key.publicKey])
        let run = coordinator.start()
        defer { coordinator.server.requestStop(); _ = run.wait(3) }
        let context = try ZMQContext()
        let plain = try Harness.rawDealer(context, coordinator.endpoint)
        defer { plain.close() }
        try plain.send(frames: MessageCodec().encode(Fixtures.ready("plain")))
        let confused = try context.socket(.dealer)
        defer { confused.close() }
        try confused.setLinger(0)
        try confused.setCurveServerKey(impostor.publicKey)
        try confused.setCurvePublicKey(key.publicKey)
        try confused.setCurveSecretKey(key.secretKey)
        try confused.connect(coordinator.endpoint)
        try confused.send(frames: MessageCodec().encode(Fixtures.ready("confused")))
        func refusals(_ phrase: String) -> [String] { coordinator.logs.all.filter { $0.contains(phrase) } }
        // Which side notices a missing CURVE first is a race: the coordinator (mechanism mismatch) or the client,
        // which then closes mid-handshake. Both lines name the likely cause.
        let plainLines = { refusals("does not use CURVE") + refusals("without --curve-key or --server-key") }
        let deadline = Date().addingTimeInterval(4)
        while Date() < deadline && (plainLines().isEmpty || refusals("wrong --server-key").isEmpty) {
            Thread.sleep(forTimeInterval: 0.05)
        }
        Thread.sleep(forTimeInterval: 1)  // both clients keep reconnecting every 0.1 s meanwhile
        XCTAssertFalse(plainLines().isEmpty, "\(coordinator.logs.all)")
        XCTAssertFalse(refusals("wrong --server-key").isEmpty, "\(coordinator.logs.all)")
        let all = refusals("refused a connection from")
        // One line per address and kind per interval (a connection gone before its address was read counts
        // as another address), not one per attempt.
        XCTAssertLessThanOrEqual(all.count, 6, "\(all)")
        XCTAssertTrue(all.contains { $0.contains("refused a connection from 127.0.0.1:") }, "\(all)")
        XCTAssertTrue(coordinator.server.machine.status.workers.isEmpty)
    }

    /// A worker that starts first reconnects until the coordinator is up (its handshake watch must not
    /// stall the connection on the way).
    func testEncryptedWorkerStartedBeforeTheCoordinatorJoinsOnceItIsUp() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "quorum-ipc-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let endpoint = "ipc://" + dir.appendingPathComponent("c.sock").path
        let server = try CurveKeyPair.generate(), key = try CurveKeyPair.generate()
        var settings = Harness.fastWorker
        settings.curveServerKey = server.publicKey
        settings.curveKeys = key
        let (_, worker) = try Harness.startWorker(endpoint, host: "early", settings: settings)
        Thread.sleep(forTimeInterval: 1.2)  // several reconnects with nobody there
        let coordinator = try Harness.Coordinator(
            jobs: 2, endpoint: endpoint, curveSecretKey: server.secretKey,
            authorizedKeys: [key.publicKey])
        XCTAssertEqual(try coordinator.start().wait(8)?.get(), .complete)
        XCTAssertEqual(try worker.wait(3)?.get(), .disconnected(reason: "run complete"))
    }

    func testKeyFilesRoundTripWithAPrivateSecretAndAnAllowListFolder() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
            "quorum-keys-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: dir) }
        let pair = try CurveKeyPair.generate()
        let (secret, pub) = try KeyFiles.write(pair, to: dir, name: "worker-1")
        let mode = try XCTUnwrap(FileManager.default.attributesOfItem(atPath: secret.path)[.posixPermissions] as? Int)
        XCTAssertEqual(mode, 0o600)
        XCTAssertEqual(try KeyFiles.readSecret(secret.path), pair)
        XCTAssertEqual(try KeyFiles.readPublic(pub.path), pair.publicKey)
        XCTAssertEqual(try KeyFiles.readAuthorized(dir.path), [pair.publicKey])
        XCTAssertThrowsError(try KeyFiles.write(pair, to: dir, name: "worker-1")) {
            XCTAssertEqual($0 as? KeyFileError, .exists(path: secret.path))
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: secret.path)
        XCTAssertThrowsError(try KeyFiles.readSecret(secret.path)) {
            XCTAssertTrue("\($0)".contains("chmod 600"), "\($0)")
        }
        try Data("not a key\n".utf8).write(to: dir.appendingPathComponent("bad.pub"))
        XCTAssertThrowsError(try KeyFiles.readAuthorized(dir.path)) {
            XCTAssertTrue("\($0)".contains("bad.pub"), "\($0)")
        }
        let empty = dir.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        XCTAssertThrowsError(try KeyFiles.readAuthorized(empty.path)) {
            XCTAssertEqual($0 as? KeyFileError, .noKeys(folder: empty.path))
        }
    }

    func testOnlyLoopbackEndpointsCountAsLocal() {
        for local in [
            "tcp://127.0.0.1:5555", "tcp://127.3.2.1:0", "tcp://localhost:5555", "tcp://[::1]:5555", "ipc:///tmp/x.sock"
        ] {
            XCTAssertTrue(EndpointScope.isLoopback(local), local)
        }
        for open in [
            "tcp://0.0.0.0:5555", "tcp://*:5555", "tcp://10.0.0.5:5555", "tcp://eth0:5555", "tcp://[::]:5555",
            "tcp://example.org:5555", "tcp://128.0.0.1:1"
        ] {
            XCTAssertFalse(EndpointScope.isLoopback(open), open)
        }
    }
}
