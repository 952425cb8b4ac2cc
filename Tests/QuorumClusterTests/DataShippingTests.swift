import Crypto
import Foundation
import XCTest
@testable import QuorumCluster
import QuorumTraining
import QuorumData
import QuorumTestSupport

final class DataShippingTests: XCTestCase {
    private var scratch: URL!

    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
            "quorum-ship-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: scratch) }

    /// 40 training and 12 test images of 12×12 pixels: files of several 1000-byte and 4 KiB chunks.
    private func writeIDX(_ folder: URL) throws { try IDXFixture.write(folder, side: 12) }

    func testBundleHashesFilesLikeSha256sumAndServesChunks() throws {
        let folder = scratch.appendingPathComponent("digits")
        try writeIDX(folder)
        let bundle = try DatasetBundle.resolve(folder.path)
        XCTAssertEqual(
            bundle.files.map(\.name),
            [
                "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte",
                "train-images-idx3-ubyte", "train-labels-idx1-ubyte"
            ])
        XCTAssertEqual(bundle.files[2].bytes, 16 + 40 * 144)
        let raw = try Data(contentsOf: folder.appendingPathComponent("train-images-idx3-ubyte"))
        XCTAssertEqual(bundle.files[2].sha256, SHA256.hex(raw))
        XCTAssertEqual(bundle.sha256, SHA256.hex(Array(DatasetBundle.sums(bundle.files).utf8)))
        XCTAssertEqual(try bundle.chunk(file: "train-images-idx3-ubyte", index: 1, chunkBytes: 1000), raw[1000..<2000])
        XCTAssertEqual(try bundle.chunk(file: "train-images-idx3-ubyte", index: 5, chunkBytes: 1000), raw[5000...])
        XCTAssertThrowsError(try bundle.chunk(file: "train-images-idx3-ubyte", index: 6, chunkBytes: 1000))
        XCTAssertThrowsError(try DatasetBundle.resolve("train=a:b,test=c:d")) {
            XCTAssertTrue("\($0)".contains("a is not a regular file"), "\($0)")
        }
        XCTAssertThrowsError(try DatasetBundle.resolve("train=/dev/zero:/dev/zero,test=/dev/zero:/dev/zero")) {
            XCTAssertTrue("\($0)".contains("/dev/zero is not a regular file"), "\($0)")
        }
        XCTAssertThrowsError(try DatasetBundle.resolve(scratch.path)) {
            XCTAssertTrue("\($0)".contains("train-images-idx3-ubyte"), "\($0)")
        }
    }

    func testDataMessagesRoundTripAndHostileFileNamesAreRejected() throws {
        let codec = MessageCodec()
        let hash = String(repeating: "a", count: 64)
        let manifest = DataManifestHeader(
            dataset: "fashion-mnist", sha256: hash, chunkBytes: 4096,
            files: [DataFileEntry(name: "x.gz", bytes: 9000, sha256: hash)])
        let chunk = DataChunkMessage(
            header: DataChunkHeader(
                dataset: "fashion-mnist", file: "x.gz", chunk: 2, bytes: 1,
                sha256: hash), bytes: Data([7]))
        for message in [
            ProtocolMessage.dataRequest(DataRequestHeader(dataset: "fashion-mnist")),
            .dataRequest(DataRequestHeader(dataset: "fashion-mnist", file: "x.gz", chunk: 2)),
            .dataManifest(manifest), .dataManifest(.refusal("x", "no")), .dataChunk(chunk)
        ] {
            let frames = codec.encode(message)
            XCTAssertEqual(frames.count, message.command.frameCount)
            XCTAssertEqual(try codec.decode(frames), message)
        }
        for bad in [
            "../etc/passwd", "/etc/passwd", "sub/x.gz", "..", ".", ".hidden", "a\\b", "SHA256SUMS", "a\nb",
            "nul\u{0}byte", "\u{1b}[31mred", "cr\rx", "c1\u{9b}x", String(repeating: "n", count: 256)
        ] {
            var m = manifest
            m.files[0].name = bad
            XCTAssertThrowsError(try codec.decode(codec.encode(.dataManifest(m))), bad) {
                XCTAssertTrue("\($0)".contains("files[0].name"), "\($0)")
                XCTAssertFalse("\($0)".unicodeScalars.contains { PeerText.isControl($0) }, "the error text is escaped")
            }
        }
        // Chunk sizes and file sizes outside the limits are refused before anything is allocated.
        for (chunkBytes, bytes, field) in [
            (1, 1 << 40, "chunk_bytes"), (1, 16 << 20, "chunk_bytes"),
            (4095, 9000, "chunk_bytes"), ((16 << 20) + 1, 9000, "chunk_bytes"),
            (1 << 20, 1 << 40, "files[0].bytes")
        ] {
            var m = manifest
            m.chunkBytes = chunkBytes
            m.files[0].bytes = bytes
            XCTAssertThrowsError(try codec.decode(codec.encode(.dataManifest(m)))) {
                XCTAssertTrue("\($0)".contains(field), "\($0)")
            }
        }
        var many = manifest
        many.files = (0..<1025).map { DataFileEntry(name: "f\($0)", bytes: 1, sha256: hash) }
        XCTAssertThrowsError(try codec.decode(codec.encode(.dataManifest(many)))) {
            XCTAssertTrue("\($0)".contains("1...1024"), "\($0)")
        }
        var huge = manifest
        huge.files = (0..<5).map { DataFileEntry(name: "f\($0)", bytes: 4 << 30, sha256: hash) }
        XCTAssertThrowsError(try codec.decode(codec.encode(.dataManifest(huge)))) {
            XCTAssertTrue("\($0)".contains("add up to"), "\($0)")
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
                let header = DataChunkHeader(
                    dataset: manifest.dataset, file: r.file!, chunk: r.chunk!, bytes: bytes.count,
                    sha256: SHA256.hex(bytes))
                if !corrupted && r.file == "train-images-idx3-ubyte" && r.chunk == 1 {
                    bytes[5] ^= 0xff  // damaged on the way
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
        XCTAssertEqual(
            asked.filter { $0 == "train-images-idx3-ubyte#1" }.count, 2, "the damaged chunk is asked for again")
        XCTAssertEqual(download.bytesReceived, download.totalBytes)
        let cache = DatasetCache(root: scratch.appendingPathComponent("cache"))
        XCTAssertThrowsError(try cache.commit(scratch.appendingPathComponent("missing"), manifest: manifest))
        for f in manifest.files {
            XCTAssertEqual(
                try Data(contentsOf: target.appendingPathComponent(f.name)),
                try Data(contentsOf: source.appendingPathComponent(f.name)))
        }
    }

    func testDownloadGivesUpOnAChunkThatNeverArrivesIntact() throws {
        let source = scratch.appendingPathComponent("src")
        try writeIDX(source)
        let bundle = try DatasetBundle.resolve(source.path)
        let manifest = bundle.manifest(chunkBytes: 1 << 20)
        let target = scratch.appendingPathComponent("dst")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        let download = try DatasetDownload(
            manifest: manifest, folder: target, window: 1, chunkTimeout: 5, maxAttempts: 3)
        let first = try XCTUnwrap(try download.requests(at: 0).first)
        // Never answered: asked again after the timeout, then given up.
        XCTAssertEqual(try download.requests(at: 4).count, 0)
        XCTAssertEqual(try download.requests(at: 5).map(\.chunk), [first.chunk])
        XCTAssertEqual(try download.requests(at: 10).count, 1)
        XCTAssertThrowsError(try download.requests(at: 15)) { error in
            let expected = DataShippingError.missingChunk(
                dataset: manifest.dataset, file: first.file!, chunk: 0,
                requests: 3, seconds: 5)
            XCTAssertEqual(error as? DataShippingError, expected)
            XCTAssertTrue("\(error)".contains("never arrived"), "\(error)")
            XCTAssertFalse("\(error)".contains("SHA-256"), "a missing chunk is not a damaged one: \(error)")
        }
    }

    func testDownloadOfAHugeDeclaredFileAllocatesOnlyItsWindow() throws {
        let hash = String(repeating: "c", count: 64)
        let manifest = DataManifestHeader(
            dataset: "d", sha256: hash, chunkBytes: 1,
            files: [DataFileEntry(name: "x", bytes: 1 << 40, sha256: hash)])
        let target = scratch.appendingPathComponent("dst")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        let download = try DatasetDownload(manifest: manifest, folder: target, window: 4)
        XCTAssertEqual(try download.requests(at: 0).map(\.chunk), [0, 1, 2, 3])
        XCTAssertEqual(try download.requests(at: 1).count, 0, "no more than the window is in flight")
        XCTAssertFalse(download.isComplete)
    }

    /// `train=IMAGES:LABELS,test=IMAGES:LABELS` ships as an IDX folder's four files and loads, after the
    /// download, exactly as the original files do.
    func testExplicitFileListShipsAndLoadsAsTheOriginal() throws {
        let source = scratch.appendingPathComponent("src")
        try writeIDX(source)
        let path = { (name: String) in source.appendingPathComponent(name).path }
        let spec =
            "train=\(path("train-images-idx3-ubyte")):\(path("train-labels-idx1-ubyte")),"
            + "test=\(path("t10k-images-idx3-ubyte")):\(path("t10k-labels-idx1-ubyte"))"
        let local = try DatasetBundle.resolve(spec)
        XCTAssertEqual(local.files.map(\.name), try DatasetBundle.resolve(source.path).files.map(\.name))
        XCTAssertEqual(
            try local.chunk(file: "t10k-labels-idx1-ubyte", index: 0, chunkBytes: 4096),
            try Data(contentsOf: source.appendingPathComponent("t10k-labels-idx1-ubyte")))
        // The same spec on a machine where those paths do not exist: shipped, then loaded from the cache.
        let remote = spec.replacingOccurrences(of: source.path, with: "/nonexistent-\(UUID().uuidString.prefix(6))")
        let shipped = DatasetBundle(name: remote, folder: source, files: local.files)
        let coordinator = try Harness.Coordinator(jobs: 1, datasets: [shipped], chunkBytes: 4096)
        let loaded = Recorder<PreparedData>()
        let ended = try Harness.runFetchingWorker(
            coordinator, host: "explicit", cache: DatasetCache(root: scratch.appendingPathComponent("cache")),
            dataset: remote
        ) { local in
            var config = TrainingConfig()
            config.data = local
            config.validationSize = 10
            loaded.append(try PreparedData.load(for: config))
        }
        XCTAssertEqual(ended.run, .complete)
        XCTAssertEqual(ended.worker, .disconnected(reason: "run complete"))
        var original = TrainingConfig()
        original.data = spec
        original.validationSize = 10
        let expected = try PreparedData.load(for: original)
        let got = try XCTUnwrap(loaded.all.first)
        XCTAssertEqual(got.train.pixels, expected.train.pixels)
        XCTAssertEqual(got.test.labels, expected.test.labels)
        XCTAssertEqual(got.test.name, expected.test.name)
        XCTAssertEqual(got.train.classNames, expected.train.classNames)
        XCTAssertEqual(got.normalization, expected.normalization)
    }

    /// A coordinator ships a data set the worker does not hold; the worker caches it and a second job
    /// (and a second worker process's look-up) downloads nothing.
    func testWorkerWithoutTheDataGetsItShippedOverTheWireAndCachesIt() throws {
        let source = scratch.appendingPathComponent("fashion-tiny")
        try writeIDX(source)
        let cache = DatasetCache(root: scratch.appendingPathComponent("cache"))
        let run = try RemoteDatasetRun(source: source, cache: cache, host: "shipper")
        let (shipped, folder, logs) = (run.shipped, run.folder, run.logs)
        XCTAssertTrue(folder.lastPathComponent.hasPrefix("fashion-tiny-"), folder.path)
        XCTAssertEqual(logs.filter { $0.contains("received") }.count, 1, "\(logs)")
        XCTAssertNotNil(cache.verifiedFolder(for: shipped.manifest(chunkBytes: 4096)))
        XCTAssertEqual(cache.heldDatasets(), [folder.lastPathComponent: shipped.sha256])
        XCTAssertEqual(run.coordinator.server.machine.status.invalidMessages, 0)
    }

    func testWorkerHoldingTheSameDataDownloadsNothing() throws {
        let source = scratch.appendingPathComponent("digits")
        try writeIDX(source)
        let coordinator = try Harness.Coordinator(
            jobs: 1, datasets: [try DatasetBundle.resolve(source.path)], chunkBytes: 4096)
        let specs = Recorder<String>()
        let ended = try Harness.runFetchingWorker(
            coordinator, host: "holder", cache: DatasetCache(root: scratch.appendingPathComponent("cache")),
            dataset: source.path, fetched: specs.append)
        XCTAssertEqual(ended.run, .complete)
        XCTAssertEqual(ended.worker, .disconnected(reason: "run complete"))
        XCTAssertEqual(specs.all, [source.path])
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch.appendingPathComponent("cache/datasets").path))
        // A data set the coordinator does not ship, but the worker holds: used as it is.
        XCTAssertTrue(coordinator.logs.all.contains { $0.contains("asked for data set") }, "\(coordinator.logs.all)")
    }

    /// An image folder reaches a worker without it as its one decoded-cache file, never as its small files,
    /// and loads there as it does on the coordinator.
    func testAnImageFolderShipsAsItsDecodedCacheAndLoadsAsTheOriginal() throws {
        let source = scratch.appendingPathComponent("pictures")
        for (name, level) in [("bright", 200), ("dark", 30)] {
            let folder = source.appendingPathComponent(name)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for i in 0..<8 {
                let pixels = (0..<36).map { UInt8(clamping: level + ($0 * 5 + i * 11) % 23) }
                try Data(Array("P5 6 6 255\n".utf8) + pixels).write(to: folder.appendingPathComponent("\(i).pgm"))
            }
        }
        // The coordinator reaches the folder through a link that is gone by the time the worker asks, as on a
        // worker machine without the folder.
        let remote = scratch.appendingPathComponent("link-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createSymbolicLink(at: remote, withDestinationURL: source)
        var config = TrainingConfig()
        config.data = remote.path
        config.validationSize = 2
        config.imageSize = [4, 4]
        config.channels = 1
        let expected = try PreparedData.load(for: config)
        let bundle = try DatasetBundle.resolve(remote.path, images: config.imageFolderOptions)
        XCTAssertEqual(bundle.files.map(\.name), [DecodedImageCache.shippedName])
        try FileManager.default.removeItem(at: remote)
        let coordinator = try Harness.Coordinator(jobs: 1, datasets: [bundle], chunkBytes: 4096)
        let loaded = Recorder<PreparedData>()
        let specs = Recorder<String>()
        let ended = try Harness.runFetchingWorker(
            coordinator, host: "pictures", cache: DatasetCache(root: scratch.appendingPathComponent("cache")),
            dataset: remote.path
        ) { local in
            specs.append(local)
            loaded.append(try PreparedData.load(for: config, from: DataSpec(parsing: local)))
        }
        XCTAssertEqual(ended.run, .complete)
        XCTAssertEqual(ended.worker, .disconnected(reason: "run complete"))
        let shippedFolder = try XCTUnwrap(specs.all.first)
        XCTAssertEqual(
            try FileManager.default.contentsOfDirectory(atPath: shippedFolder).filter { $0.hasSuffix(".qimg") },
            [DecodedImageCache.shippedName])
        let got = try XCTUnwrap(loaded.all.first)
        XCTAssertEqual(got.train.pixels, expected.train.pixels)
        XCTAssertEqual(got.validation.labels, expected.validation.labels)
        XCTAssertEqual(got.test.labels, expected.test.labels)
        XCTAssertEqual(got.train.name, expected.train.name)
        XCTAssertEqual(got.train.classNames, ["bright", "dark"])
        XCTAssertEqual(got.train.imageShape, [4, 4, 1])
        XCTAssertEqual(got.normalization, expected.normalization)
    }
}
