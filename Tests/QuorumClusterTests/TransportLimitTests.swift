import Foundation
import XCTest
@testable import QuorumCluster
import QuorumTestSupport

/// Peers that try to exhaust the coordinator's memory through the transport. The bounds are the ones
/// docs/security.md states: per connection, one frame of at most `ZMQ_MAXMSGSIZE` (the plan's largest legal
/// RESULT plus a margin), and at most `sendHighWaterMark` queued messages for a peer that does not read.
final class TransportLimitTests: XCTestCase {
    private func server(limit: Int, datasets: [DatasetBundle] = [], chunkBytes: Int = 1 << 20)
        throws -> (CoordinatorServer, String, Background<CoordinatorOutcome>)
    {
        // Slow heartbeats: the peers here never send one, and must stay registered while they are measured.
        let slow = CoordinatorSettings(heartbeatInterval: 2)
        let machine = try CoordinatorStateMachine(plan: Fixtures.plan(1), settings: slow)
        let server = try CoordinatorServer(
            machine: machine,
            settings: CoordinatorServerSettings(
                pollInterval: 0.01, limits: ProtocolLimits(maxMessageBytes: limit), linger: 0, datasets: datasets,
                chunkBytes: chunkBytes))
        let endpoint = try server.bind("tcp://127.0.0.1:0")
        return (server, endpoint, Background("coordinator") { try server.run() })
    }

    /// The largest resident size seen while `body` runs and for `settle` seconds after, less the size before.
    private func peakGrowth(settle: Double, _ body: () throws -> Void) rethrows -> Int {
        let before = residentBytes()
        let peak = Recorder<Int>()
        let done = CancellationFlag()
        let sampler = Background("rss") {
            while !done.isCancelled { peak.append(residentBytes()); Thread.sleep(forTimeInterval: 0.02) }
        }
        try body()
        Thread.sleep(forTimeInterval: settle)
        done.cancel(reason: "done")
        _ = sampler.wait(2)
        return (peak.all.max() ?? before) - before
    }

    func testFiftyPeersSendingLargePartialFramesCannotGrowTheCoordinatorPastItsLimit() throws {
        let limit = 2 << 20
        let (server, endpoint, run) = try server(limit: limit)
        defer { server.requestStop(); _ = run.wait(3) }
        var peers: [RawZMTPPeer] = []
        let growth = try peakGrowth(settle: 0.5) {
            let chunk = Data(repeating: 0xAB, count: 256 << 10)
            // 50 peers announce 256 MiB frames and push 8 MiB each: refused at the frame header.
            for _ in 0..<50 {
                let peer = try RawZMTPPeer(endpoint)
                peer.send(RawZMTPPeer.frameHeader(size: 256 << 20))
                for _ in 0..<32 where peer.send(chunk) {}
                peers.append(peer)
            }
            // 50 peers announce legal frames and stop one chunk short of the end: each holds at most the limit.
            for _ in 0..<50 {
                let peer = try RawZMTPPeer(endpoint)
                peer.send(RawZMTPPeer.frameHeader(size: UInt64(limit - 4096)))
                for _ in 0..<(limit / chunk.count - 1) { peer.send(chunk) }
                peers.append(peer)
            }
        }
        let bound = 50 * limit + (64 << 20)
        XCTAssertLessThan(growth, bound, "grew \(growth >> 20) MiB; bound \(bound >> 20) MiB")
        XCTAssertEqual(server.machine.status.workers.count, 0)
    }

    func testAPeerThatAsksForChunksAndNeverReadsCostsABoundedQueue() throws {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("quorum-pace-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        func idx(_ magic: UInt32, _ dims: [UInt32], _ bytes: Int) -> Data {
            IDXFixture.header(magic, dims) + Data((0..<bytes).map { UInt8($0 % 251) })
        }
        try idx(0x0803, [4096, 32, 32], 4096 * 1024).write(to: folder.appendingPathComponent("train-images-idx3-ubyte"))
        try idx(0x0801, [4096], 4096).write(to: folder.appendingPathComponent("train-labels-idx1-ubyte"))
        try idx(0x0803, [16, 32, 32], 16 * 1024).write(to: folder.appendingPathComponent("t10k-images-idx3-ubyte"))
        try idx(0x0801, [16], 16).write(to: folder.appendingPathComponent("t10k-labels-idx1-ubyte"))
        let bundle = try DatasetBundle.resolve(folder.path)
        let chunkBytes = 256 << 10
        let (server, endpoint, run) = try server(limit: 1 << 20, datasets: [bundle], chunkBytes: chunkBytes)
        defer { server.requestStop(); _ = run.wait(3) }
        let codec = MessageCodec()
        let peer = try RawZMTPPeer(endpoint)
        let growth = peakGrowth(settle: 1.5) {
            peer.send(RawZMTPPeer.message(codec.encode(Fixtures.ready("greedy"))))
            var requests = Data()
            for i in 0..<1500 {
                requests += RawZMTPPeer.message(
                    codec.encode(
                        .dataRequest(
                            DataRequestHeader(
                                dataset: bundle.name, file: "train-images-idx3-ubyte", chunk: i % 16))))
            }
            peer.send(requests)
        }
        // Unpaced, the answers pile up (375 MiB for all 1,500; over 50 MiB within this test's time); paced, the
        // peer's queue holds 16 of them (4 MiB).
        XCTAssertLessThan(growth, 24 << 20, "grew \(growth >> 20) MiB")
        XCTAssertEqual(server.machine.status.workers.map(\.host), ["greedy"])
    }
}
