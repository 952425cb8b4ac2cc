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
    /// Images per forward pass.
    public static let batchSize = 256

    /// The ensemble's manifest.
    public let manifest: EnsembleManifest
    /// The members' networks, in manifest order.
    public let models: [Sequential]
    /// The members' model-file metadata, in manifest order.
    public let metadata: [ModelMetadata]
    /// Per member, the normalised value of each byte 0...255 for each channel: `256 × C` floats.
    private let lookups: [[Float]]

    /// Loads `dir/ensemble.json` and every member's model file, and checks that they fit together.
    public convenience init(directory dir: URL) throws {
        let manifest = try EnsembleManifest.load(from: dir)
        var models: [Sequential] = [], metadata: [ModelMetadata] = []
        for i in manifest.members.indices {
            let (model, meta) = try ModelFile.load(path: manifest.memberURL(i, in: dir).path)
            models.append(model)
            metadata.append(meta)
        }
        try self.init(manifest: manifest, models: models, metadata: metadata,
                      files: manifest.members.indices.map { manifest.memberURL($0, in: dir).path })
    }

    /// An ensemble from models already in memory; `files` name the members in errors.
    public init(manifest: EnsembleManifest, models: [Sequential], metadata: [ModelMetadata], files: [String]) throws {
        precondition(models.count == manifest.members.count && metadata.count == models.count && files.count == models.count,
                     "one model, metadata and file name per manifest member")
        for (k, meta) in metadata.enumerated() {
            try MemberCompatibility.check(meta, file: files[k], inputShape: manifest.inputShape,
                                          classes: manifest.classNames.count, classNames: manifest.classNames)
        }
        self.manifest = manifest
        self.models = models
        self.metadata = metadata
        lookups = metadata.map { meta in
            var table = [Float](repeating: 0, count: 256 * meta.normalizationMean.count)
            for c in 0..<meta.normalizationMean.count {
                for v in 0..<256 { table[v * meta.normalizationMean.count + c] = (Float(v) / 255 - meta.normalizationMean[c]) / meta.normalizationStd[c] }
            }
            return table
        }
    }

    /// The number of classes every member scores.
    public var classes: Int { manifest.classNames.count }

    /// Each member's softmax probabilities on `images` (whose shape must be the ensemble's input shape).
    /// `threads` is the number of cores to use; the call sets oneDNN's thread count on the threads it runs on,
    /// and leaves it so.
    public func predict(_ images: ImageArray, threads: Int = 1) -> [MemberPredictions] {
        precondition(images.imageShape == manifest.inputShape, "images \(images.imageShape) for input \(manifest.inputShape)")
        let n = images.count, c = classes, m = models.count
        let outputs = (0..<m).map { _ in UnsafeMutablePointer<Float>.allocate(capacity: max(n * c, 1)) }
        defer { outputs.forEach { $0.deallocate() } }
        let lanes = min(max(threads, 1), m)
        images.pixels.withUnsafeBufferPointer { pixels in
            if lanes > 1 {
                ComputeThreads.set(1)
                DispatchQueue.concurrentPerform(iterations: lanes) { lane in
                    ComputeThreads.set(1)
                    let scratch = Scratch()
                    for k in stride(from: lane, to: m, by: lanes) {
                        run(member: k, pixels: pixels.baseAddress!, count: n, into: outputs[k], scratch: scratch)
                    }
                }
            } else {
                ComputeThreads.set(threads)
                let scratch = Scratch()
                for k in 0..<m { run(member: k, pixels: pixels.baseAddress!, count: n, into: outputs[k], scratch: scratch) }
            }
        }
        // The names and row counts are valid by construction, so this cannot throw.
        return (0..<m).map { k in
            try! MemberPredictions(name: manifest.members[k].name,
                                   probabilities: Array(UnsafeBufferPointer(start: outputs[k], count: n * c)), classes: c)
        }
    }

    /// Buffers one thread reuses for every batch of every member it runs.
    private final class Scratch {
        let input = Tensor(shape: [0])
        let probabilities = Tensor(shape: [0])
    }

    /// Member `k`'s scorer with the manifest's test-time augmentation; a black pixel's normalised value
    /// is the lookup of byte 0.
    private func scorer(member k: Int) -> AugmentedScorer {
        let channels = manifest.inputShape[2]
        return AugmentedScorer(model: models[k], augmentation: manifest.testTimeAugmentation,
                               fill: Array(lookups[k].prefix(channels)))
    }

    private func run(member k: Int, pixels: UnsafePointer<UInt8>, count n: Int, into output: UnsafeMutablePointer<Float>,
                     scratch: Scratch) {
        let shape = manifest.inputShape, size = shape.reduce(1, *), channels = shape[2], c = classes
        let scorer = scorer(member: k)
        lookups[k].withUnsafeBufferPointer { table in
            var start = 0
            while start < n {
                let b = min(Self.batchSize, n - start)
                scratch.input.resize(to: [b] + shape)
                let x = scratch.input.data, src = pixels + start * size
                if channels == 1 {
                    for i in 0..<(b * size) { x[i] = table[Int(src[i])] }
                } else {
                    for p in 0..<(b * size / channels) {
                        for ch in 0..<channels { x[p * channels + ch] = table[Int(src[p * channels + ch]) * channels + ch] }
                    }
                }
                scorer.score(scratch.input, into: scratch.probabilities)
                (output + start * c).update(from: scratch.probabilities.data, count: b * c)
                start += b
            }
        }
    }
}
