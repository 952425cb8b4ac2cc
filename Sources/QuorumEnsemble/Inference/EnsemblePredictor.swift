import Dispatch
import Foundation
import QuorumData
import QuorumCore

/// Loads an ensemble folder's members and scores images with every one of them, in batches.
///
/// Each member normalises pixels with the statistics in its own model file, and scores each image in the
/// views of the manifest's test-time augmentation. With more than one thread
/// and more than one member, members run side by side, one thread each (a small CNN at batch 256 keeps a
/// core busy on its own, and this avoids synchronising threads inside every layer); otherwise members run
/// one after another on all threads.
public final class EnsemblePredictor {
    /// Images per forward pass: the same as evaluation after training, so the probabilities are the same bits.
    public static let batchSize = BatchPredictor.batchSize

    /// The ensemble's manifest.
    public let manifest: EnsembleManifest
    /// The members' networks, in manifest order.
    public let models: [Sequential]
    /// The members' model-file metadata, in manifest order.
    public let metadata: [ModelMetadata]
    /// Per member, its normalisation as a lookup table (the one training batches use).
    private let tables: [NormalizationTable]

    /// Loads `dir/ensemble.json` and every member's model file, and checks that they fit together.
    public convenience init(directory dir: URL) throws {
        let manifest = try EnsembleManifest.load(from: dir)
        var models: [Sequential] = [], metadata: [ModelMetadata] = []
        for i in manifest.members.indices {
            let (model, meta) = try ModelFile.load(path: manifest.memberURL(i, in: dir).path)
            models.append(model)
            metadata.append(meta)
        }
        try self.init(
            manifest: manifest, models: models, metadata: metadata,
            files: manifest.members.indices.map { manifest.memberURL($0, in: dir).path })
    }

    /// An ensemble from models already in memory; `files` name the members in errors.
    public init(manifest: EnsembleManifest, models: [Sequential], metadata: [ModelMetadata], files: [String]) throws {
        precondition(
            models.count == manifest.members.count && metadata.count == models.count && files.count == models.count,
            "one model, metadata and file name per manifest member")
        for (k, meta) in metadata.enumerated() {
            try MemberCompatibility.check(
                meta, file: files[k], inputShape: manifest.inputShape,
                classes: manifest.classNames.count, classNames: manifest.classNames)
        }
        self.manifest = manifest
        self.models = models
        self.metadata = metadata
        tables = metadata.map { meta in
            NormalizationTable(Normalization(mean: meta.normalizationMean, std: meta.normalizationStd))
        }
    }

    /// The number of classes every member scores.
    public var classes: Int { manifest.classNames.count }

    /// Each member's softmax probabilities on `images` (whose shape must be the ensemble's input shape).
    /// `threads` is the number of cores to use; the call sets oneDNN's thread count on the threads it runs on,
    /// and leaves it so.
    public func predict(_ images: ImageArray, threads: Int = 1) -> [MemberPredictions] {
        precondition(
            images.imageShape == manifest.inputShape, "images \(images.imageShape) for input \(manifest.inputShape)")
        let n = images.count, c = classes, m = models.count
        let outputs = (0..<m).map { _ in UnsafeMutablePointer<Float>.allocate(capacity: max(n * c, 1)) }
        defer { outputs.forEach { $0.deallocate() } }
        let lanes = min(max(threads, 1), m)
        images.pixels.withUnsafeBufferPointer { pixels in
            if lanes > 1 {
                ComputeThreads.set(1)
                DispatchQueue.concurrentPerform(iterations: lanes) { lane in
                    ComputeThreads.set(1)
                    for k in stride(from: lane, to: m, by: lanes) {
                        predictor(member: k).predict(pixels.baseAddress!, count: n, into: outputs[k])
                    }
                }
            } else {
                ComputeThreads.set(threads)
                for k in 0..<m { predictor(member: k).predict(pixels.baseAddress!, count: n, into: outputs[k]) }
            }
        }
        // The names and row counts are valid by construction, so this cannot throw.
        return (0..<m).map { k in
            try! MemberPredictions(
                name: manifest.members[k].name,
                probabilities: Array(UnsafeBufferPointer(start: outputs[k], count: n * c)), classes: c)
        }
    }

    /// Member `k`'s predictor with the manifest's test-time augmentation, for one thread.
    private func predictor(member k: Int) -> BatchPredictor {
        BatchPredictor(
            model: models[k], table: tables[k], augmentation: manifest.testTimeAugmentation,
            batchSize: Self.batchSize)
    }
}
