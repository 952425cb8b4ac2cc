import Foundation
import XCTest
@testable import QuorumCluster

final class ZeroMQTests: XCTestCase {
    func testRouterDealerMultipartRoundTripAndLastEndpoint() throws {
        let ctx = try ZMQContext()
        let router = try ctx.socket(.router)
        defer { router.close() }
        try router.setLinger(0)
        try router.setReceiveTimeout(2)
        try router.setRouterMandatory(true)
        try router.bind("tcp://127.0.0.1:0")
        let endpoint = try router.lastEndpoint()
        XCTAssertTrue(endpoint.hasPrefix("tcp://127.0.0.1:") && !endpoint.hasSuffix(":0"), endpoint)
        let dealer = try ctx.socket(.dealer)
        defer { dealer.close() }
        try dealer.setLinger(0)
        try dealer.setReceiveTimeout(2)
        try dealer.setRoutingID(Data("w1".utf8))
        try dealer.connect(endpoint)
        XCTAssertTrue(try dealer.send(frames: [Data("a".utf8), Data(), Data([0, 1, 2])]))
        let got = try XCTUnwrap(router.receive())
        XCTAssertEqual(got, [Data("w1".utf8), Data("a".utf8), Data(), Data([0, 1, 2])])
        try router.send(frames: [Data("w1".utf8), Data("back".utf8)])
        XCTAssertEqual(try dealer.receive(), [Data("back".utf8)])
        // Unknown peers are an error with ZMQ_ROUTER_MANDATORY, named by operation and reason.
        XCTAssertThrowsError(try router.send(frames: [Data("ghost".utf8), Data("x".utf8)])) { error in
            let e = error as? ZMQError
            XCTAssertEqual(e?.code, EHOSTUNREACH)
            XCTAssertTrue(e?.description.contains("send frame 0") == true, "\(String(describing: e))")
        }
        // Nothing waiting: a timed receive returns nil, a non-blocking one too.
        try dealer.setReceiveTimeout(0.05)
        XCTAssertNil(try dealer.receive())
        XCTAssertNil(try dealer.receive(dontWait: true))
    }

    /// The coordinator names a worker across reconnections by the key its ZAP handler accepted.
    func testReceivedMessagesCarryTheAuthenticatedKeyAndThePeerAddress() throws {
        let ctx = try ZMQContext()
        let server = try CurveKeyPair.generate(), client = try CurveKeyPair.generate()
        let zap = try ZAPHandler(context: ctx, authorizedKeys: [client.publicKey])
        defer { zap.stop() }
        let router = try ctx.socket(.router)
        defer { router.close() }
        try router.setLinger(0)
        try router.setReceiveTimeout(3)
        try router.setZAPDomain("quorum")
        try router.setCurveServer(true)
        try router.setCurveSecretKey(server.secretKey)
        try router.bind("tcp://127.0.0.1:0")
        let dealer = try ctx.socket(.dealer)
        defer { dealer.close() }
        try dealer.setLinger(0)
        try dealer.setCurveServerKey(server.publicKey)
        try dealer.setCurvePublicKey(client.publicKey)
        try dealer.setCurveSecretKey(client.secretKey)
        try dealer.connect(try router.lastEndpoint())
        try dealer.send(frames: [Data("hello".utf8)])
        let got = try XCTUnwrap(router.receiveWithPeer())
        XCTAssertEqual(got.frames.last, Data("hello".utf8))
        XCTAssertEqual(got.userId, client.publicKey)
        XCTAssertEqual(got.address, "127.0.0.1")
    }

    func testPollerReportsReadableSocketsAndTimesOut() throws {
        let ctx = try ZMQContext()
        let a = try ctx.socket(.pair), b = try ctx.socket(.pair)
        defer { a.close(); b.close() }
        try a.bind("inproc://poll-test")
        try b.connect("inproc://poll-test")
        var poller = ZMQPoller(sockets: [a, b])
        XCTAssertEqual(try poller.poll(timeout: 0.02), [false, false])
        try b.send(frames: [Data("ping".utf8)])
        XCTAssertEqual(try poller.poll(timeout: 1), [true, false])
        XCTAssertEqual(try a.receive(dontWait: true), [Data("ping".utf8)])
    }

    func testErrorsNameTheOperation() throws {
        let ctx = try ZMQContext()
        let s = try ctx.socket(.dealer)
        XCTAssertThrowsError(try s.bind("nonsense://x")) {
            XCTAssertTrue("\($0)".contains("bind nonsense://x"), "\($0)")
        }
        s.close()
        XCTAssertThrowsError(try s.send(frames: [Data()])) { XCTAssertTrue("\($0)".contains("closed socket"), "\($0)") }
    }

    func testCurveKeysAndZ85() throws {
        let pair = try CurveKeyPair.generate()
        XCTAssertEqual(pair.publicKey.count, 40)
        XCTAssertEqual(try CurveKeyPair(secretKey: pair.secretKey), pair)
        XCTAssertEqual(try Z85.decode(pair.publicKey).count, 32)
        // The example of the Z85 specification (RFC 32).
        let bytes = Data([0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B])
        XCTAssertEqual(try Z85.encode(bytes), "HelloWorld")
        XCTAssertEqual(try Z85.decode("HelloWorld"), bytes)
        XCTAssertThrowsError(try Z85.encode(Data([1, 2, 3])))
        XCTAssertThrowsError(try Z85.decode("Hello Worl"))
    }

    func testCurveEncryptedExchange() throws {
        let server = try CurveKeyPair.generate(), client = try CurveKeyPair.generate()
        let ctx = try ZMQContext()
        let router = try ctx.socket(.router), dealer = try ctx.socket(.dealer)
        defer { router.close(); dealer.close() }
        for s in [router, dealer] { try s.setLinger(0); try s.setReceiveTimeout(3) }
        try router.setCurveServer(true)
        try router.setCurveSecretKey(server.secretKey)
        try router.bind("tcp://127.0.0.1:0")
        try dealer.setCurveServerKey(server.publicKey)
        try dealer.setCurvePublicKey(client.publicKey)
        try dealer.setCurveSecretKey(client.secretKey)
        try dealer.connect(router.lastEndpoint())
        try dealer.send(frames: [Data("secret".utf8)])
        XCTAssertEqual(try router.receive()?.last, Data("secret".utf8))
        XCTAssertThrowsError(try dealer.setCurveServerKey("short"))
    }
}
