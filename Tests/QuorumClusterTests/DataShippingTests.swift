import Foundation
import XCTest
@testable import QuorumCluster

final class DataShippingTests: XCTestCase {
    private var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("quorum-ship-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: scratch) }

    /// A tiny IDX data set (train: 40 images, test: 12, 6×6 pixels, 3 classes) in `folder`.
    private func writeIDX(_ folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        func header(_ magic: UInt32, _ dims: [UInt32]) -> Data {
            var d = Data()
            for v in [magic] + dims { d.append(contentsOf: [UInt8(v >> 24), UInt8(v >> 16 & 255), UInt8(v >> 8 & 255), UInt8(v & 255)]) }
            return d
        }
        for (prefix, count) in [("train", 40), ("t10k", 12)] {
            var images = header(0x0803, [UInt32(count), 6, 6])
            images.append(contentsOf: (0..<count * 36).map { UInt8(($0 * 37 + count) % 256) })
            var labels = header(0x0801, [UInt32(count)])
            labels.append(contentsOf: (0..<count).map { UInt8($0 % 3) })
            try images.write(to: folder.appendingPathComponent("\(prefix)-images-idx3-ubyte"))
            try labels.write(to: folder.appendingPathComponent("\(prefix)-labels-idx1-ubyte"))
        }
    }

    func testBundleHashesFilesLikeSha256sumAndServesChunks() throws {
        let folder = scratch.appendingPathComponent("digits")
        try writeIDX(folder)
        let bundle = try DatasetBundle.resolve(folder.path)
        XCTAssertEqual(bundle.files.map(\.name), ["t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte",
                                                  "train-images-idx3-ubyte", "train-labels-idx1-ubyte"])
        XCTAssertEqual(bundle.files[2].bytes, 16 + 40 * 36)
        let raw = try Data(contentsOf: folder.appendingPathComponent("train-images-idx3-ubyte"))
        XCTAssertEqual(bundle.files[2].sha256, SHA256.hex(raw))
        XCTAssertEqual(bundle.sha256, SHA256.hex(Array(DatasetBundle.sums(bundle.files).utf8)))
        XCTAssertEqual(try bundle.chunk(file: "train-images-idx3-ubyte", index: 1, chunkBytes: 1000), raw[1000...])
        XCTAssertThrowsError(try bundle.chunk(file: "train-images-idx3-ubyte", index: 2, chunkBytes: 1000))
        XCTAssertThrowsError(try DatasetBundle.resolve("train=a:b,test=c:d")) { XCTAssertTrue("\($0)".contains("not shipped"), "\($0)") }
        XCTAssertThrowsError(try DatasetBundle.resolve(scratch.path)) { XCTAssertTrue("\($0)".contains("train-images-idx3-ubyte"), "\($0)") }
    }

    func testDataMessagesRoundTripAndHostileFileNamesAreRejected() throws {
        let codec = MessageCodec()
        let hash = String(repeating: "a", count: 64)
        let manifest = DataManifestHeader(dataset: "fashion-mnist", sha256: hash, chunkBytes: 4,
                                          files: [DataFileEntry(name: "sub/x.gz", bytes: 9, sha256: hash)])
        let chunk = DataChunkMessage(header: DataChunkHeader(dataset: "fashion-mnist", file: "sub/x.gz", chunk: 2, bytes: 1, sha256: hash),
                                     bytes: Data([7]))
        for message in [ProtocolMessage.dataRequest(DataRequestHeader(dataset: "fashion-mnist")),
                        .dataRequest(DataRequestHeader(dataset: "fashion-mnist", file: "sub/x.gz", chunk: 2)),
                        .dataManifest(manifest), .dataManifest(.refusal("x", "no")), .dataChunk(chunk)] {
            let frames = codec.encode(message)
            XCTAssertEqual(frames.count, message.command.frameCount)
            XCTAssertEqual(try codec.decode(frames), message)
        }
        for bad in ["../etc/passwd", "/etc/passwd", "a//b", "a/./b", "a\\b"] {
            var m = manifest
            m.files[0].name = bad
            XCTAssertThrowsError(try codec.decode(codec.encode(.dataManifest(m))), bad) {
                XCTAssertTrue("\($0)".contains("files[0].name"), "\($0)")
            }
        }
        var frames = codec.encode(.dataChunk(chunk))
        frames[3] = Data([1, 2])
        XCTAssertThrowsError(try codec.decode(frames)) { XCTAssertTrue("\($0)".contains("frame 3"), "\($0)") }
        XCTAssertThrowsError(try codec.decode(codec.encode(.dataRequest(DataRequestHeader(dataset: "d", file: "x")))))
    }

    func testDownloadAsksAgainForACorruptedChunkAndWritesTheExactFile() throws {
        let source = scratch.appendingPathComponent("src")
        try writeIDX(source)
        let bundle = try DatasetBundle.resolve(source.path)
        let manifest = bundle.manifest(chunkBytes: 256)
        let target = scratch.appendingPathComponent("dst")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        let download = try DatasetDownload(manifest: manifest, folder: target, window: 3)
        var served = 0, corrupted = false
        var asked: [String] = []
        var requests = try download.requests(at: 0)
        XCTAssertEqual(requests.count, 3, "the window bounds the chunks in flight")
        while !requests.isEmpty {
            var next: [DataRequestHeader] = []
            for r in requests {
                asked.append("\(r.file!)#\(r.chunk!)")
                var bytes = try bundle.chunk(file: r.file!, index: r.chunk!, chunkBytes: 256)
                let header = DataChunkHeader(dataset: manifest.dataset, file: r.file!, chunk: r.chunk!, bytes: bytes.count,
                                             sha256: SHA256.hex(bytes))
                if !corrupted && r.file == "train-images-idx3-ubyte" && r.chunk == 1 {
                    bytes[5] ^= 0xff   // damaged on the way
                    corrupted = true
                }
                try download.accept(DataChunkMessage(header: header, bytes: bytes))
                served += 1
                next += try download.requests(at: 0)
            }
            requests = next
        }
        XCTAssertTrue(download.isComplete)
        XCTAssertEqual(download.corruptChunks, 1)
        XCTAssertEqual(asked.filter { $0 == "train-images-idx3-ubyte#1" }.count, 2, "the damaged chunk is asked for again")
        XCTAssertEqual(download.bytesReceived, download.totalBytes)
        let cache = DatasetCache(root: scratch.appendingPathComponent("cache"))
        XCTAssertThrowsError(try cache.commit(scratch.appendingPathComponent("missing"), manifest: manifest))
        for f in manifest.files {
            XCTAssertEqual(try Data(contentsOf: target.appendingPathComponent(f.name)), try Data(contentsOf: source.appendingPathComponent(f.name)))
        }
    }

    func testDownloadGivesUpOnAChunkThatNeverArrivesIntact() throws {
        let source = scratch.appendingPathComponent("src")
        try writeIDX(source)
        let bundle = try DatasetBundle.resolve(source.path)
        let manifest = bundle.manifest(chunkBytes: 1 << 20)
        let target = scratch.appendingPathComponent("dst")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        let download = try DatasetDownload(manifest: manifest, folder: target, window: 1, chunkTimeout: 5, maxAttempts: 3)
        let first = try XCTUnwrap(try download.requests(at: 0).first)
        // Never answered: asked again after the timeout, then given up.
        XCTAssertEqual(try download.requests(at: 4).count, 0)
        XCTAssertEqual(try download.requests(at: 5).map(\.chunk), [first.chunk])
        XCTAssertEqual(try download.requests(at: 10).count, 1)
        XCTAssertThrowsError(try download.requests(at: 15)) { error in
            XCTAssertEqual(error as? DataShippingError,
                           .corruptChunk(dataset: manifest.dataset, file: first.file!, chunk: 0, attempts: 3))
        }
    }

    /// A coordinator ships a data set the worker does not hold; the worker caches it and a second job
    /// (and a second worker process's look-up) downloads nothing.
    func testWorkerWithoutTheDataGetsItShippedOverTheWireAndCachesIt() throws {
        let source = scratch.appendingPathComponent("fashion-tiny")
        try writeIDX(source)
        let local = try DatasetBundle.resolve(source.path)
        // A name this machine cannot resolve, as on a worker machine without the folder.
        let remoteName = "/nonexistent-\(UUID().uuidString.prefix(6))/fashion-tiny"
        let shipped = DatasetBundle(name: remoteName, folder: source, files: local.files)
        let coordinator = try Harness.Coordinator(jobs: 2, datasets: [shipped], chunkBytes: 300)
        let run = coordinator.start()
        let cache = DatasetCache(root: scratch.appendingPathComponent("cache"))
        var settings = Harness.fastWorker
        settings.dataCache = cache
        let specs = Recorder<String>()
        var fetcher: DatasetFetcher?
        let worker = try WorkerClient(endpoint: coordinator.endpoint, info: Harness.info("shipper"), settings: settings) { job, reporter, flag in
            specs.append(try fetcher!.localSpec(for: remoteName, cancel: flag))
            return try Harness.train(job, reporter, flag)
        }
        fetcher = worker.datasets
        let logs = Recorder<String>()
        worker.onLog = { logs.append($1) }
        let exit = Background("worker") { try worker.run() }
        XCTAssertEqual(try run.wait(10)?.get(), .complete)
        XCTAssertEqual(try exit.wait(3)?.get(), .disconnected(reason: "run complete"))
        let folder = cache.folder(for: shipped.manifest(chunkBytes: 300))
        XCTAssertEqual(specs.all, [folder.path, folder.path])
        XCTAssertTrue(folder.lastPathComponent.hasPrefix("fashion-tiny-"), folder.path)
        for f in local.files {
            XCTAssertEqual(try Data(contentsOf: folder.appendingPathComponent(f.name)), try Data(contentsOf: source.appendingPathComponent(f.name)))
        }
        XCTAssertEqual(logs.all.filter { $0.contains("received") }.count, 1, "\(logs.all)")
        XCTAssertNotNil(cache.verifiedFolder(for: shipped.manifest(chunkBytes: 300)))
        XCTAssertEqual(cache.heldDatasets(), [folder.lastPathComponent: shipped.sha256])
        XCTAssertEqual(coordinator.server.machine.status.invalidMessages, 0)
    }

    func testWorkerHoldingTheSameDataDownloadsNothing() throws {
        let source = scratch.appendingPathComponent("digits")
        try writeIDX(source)
        let coordinator = try Harness.Coordinator(jobs: 1, datasets: [try DatasetBundle.resolve(source.path)], chunkBytes: 300)
        let run = coordinator.start()
        var settings = Harness.fastWorker
        settings.dataCache = DatasetCache(root: scratch.appendingPathComponent("cache"))
        let specs = Recorder<String>()
        var fetcher: DatasetFetcher?
        let worker = try WorkerClient(endpoint: coordinator.endpoint, info: Harness.info("holder"), settings: settings) { job, reporter, flag in
            specs.append(try fetcher!.localSpec(for: source.path, cancel: flag))
            return try Harness.train(job, reporter, flag)
        }
        fetcher = worker.datasets
        let exit = Background("worker") { try worker.run() }
        XCTAssertEqual(try run.wait(10)?.get(), .complete)
        XCTAssertEqual(try exit.wait(3)?.get(), .disconnected(reason: "run complete"))
        XCTAssertEqual(specs.all, [source.path])
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch.appendingPathComponent("cache/datasets").path))
        // A data set the coordinator does not ship, but the worker holds: used as it is.
        XCTAssertTrue(coordinator.logs.all.contains { $0.contains("asked for data set") }, "\(coordinator.logs.all)")
    }
}
