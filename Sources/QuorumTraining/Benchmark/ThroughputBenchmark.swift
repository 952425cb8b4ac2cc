import Crypto
import Foundation
import QuorumCore

/// Measures training and inference throughput of a model on synthetic batches (the arithmetic does not
/// depend on the pixel values, and synthetic data keeps the measurement free of disk and decoding).
public struct ThroughputBenchmark {
    /// One measurement.
    public struct Result: Codable, Sendable {
        public var task: String
        public var model: String
        public var batchSize: Int
        public var threads: Int
        /// Median over the timed windows.
        public var imagesPerSecond: Double
        /// Slowest and fastest window.
        public var minImagesPerSecond: Double
        public var maxImagesPerSecond: Double
        /// Useful arithmetic per second (3 × forward FLOPs per training image, 1 × per inference image).
        public var gflops: Double
    }

    public var model: String = "cnn-a"
    public var inputShape: [Int] = [28, 28, 1]
    public var classes: Int = 10
    /// Timed windows per measurement; the median is reported.
    public var windows: Int = 5
    /// Seconds per window.
    public var windowSeconds: Double = 1.0

    public init() {}

    /// Images per second for optimizer steps (forward, loss, backward, Adam) at a batch size and thread count.
    public func training(batchSize: Int, threads: Int) throws -> Result {
        ComputeThreads.set(threads)
        let spec = try ModelSpec(parsing: model, inputShape: inputShape, classes: classes)
        let net = try Sequential(spec: spec, seed: 1)
        let optimizer = Adam(parameters: net.parameters, learningRate: 1e-3)
        let loss = SoftmaxCrossEntropy(classes: classes)
        let (images, labels) = syntheticBatch(batchSize)
        let rates = measure(batchSize: batchSize) {
            net.zeroGradients()
            let logits = net.forward(images, training: true)
            _ = labels.withUnsafeBufferPointer { loss.forward(logits: logits, labels: $0) }
            net.backward(loss.gradient)
            optimizer.step()
        }
        return result("train", batchSize, threads, rates, flopsPerImage: 3 * net.forwardFLOPs)
    }

    /// Images per second for inference (forward only, eval mode).
    public func inference(batchSize: Int, threads: Int) throws -> Result {
        ComputeThreads.set(threads)
        let spec = try ModelSpec(parsing: model, inputShape: inputShape, classes: classes)
        let net = try Sequential(spec: spec, seed: 1)
        let (images, _) = syntheticBatch(batchSize)
        let rates = measure(batchSize: batchSize) { _ = net.forward(images, training: false) }
        return result("infer", batchSize, threads, rates, flopsPerImage: net.forwardFLOPs)
    }

    /// GFLOP/s of one large square sgemm (n = 1024) through the engine's sgemm: the practical arithmetic
    /// ceiling of this machine at this thread count, against which the layers' rate is judged.
    public func sgemmCeiling(threads: Int) -> Double {
        ComputeThreads.set(threads)
        let n = 1024
        let a = Tensor(shape: [n, n]), b = Tensor(shape: [n, n]), c = Tensor(shape: [n, n])
        a.fill(0.5); b.fill(0.25)
        var best = 0.0
        for _ in 0..<5 {
            let start = Date()
            DNNL.sgemm(m: n, n: n, k: n, a: a.data, b: b.data, c: c.data)
            best = max(best, 2 * Double(n * n * n) / Date().timeIntervalSince(start) / 1e9)
        }
        return best
    }

    /// MiB per second of SHA-256 (swift-crypto's) over `mebibytes` MiB fed in 1 MiB pieces, as data set files and
    /// shipped chunks are hashed: the best of five passes, on the calling thread.
    public func sha256Rate(mebibytes: Int = 64) -> Double {
        let piece = 1 << 20
        var rng = SeededGenerator(seed: 9, purpose: "bench sha256")
        var words = [UInt64](repeating: 0, count: mebibytes * piece / 8)
        for i in words.indices { words[i] = rng.next() }
        var best = 0.0
        words.withUnsafeBytes { raw in
            for _ in 0..<5 {
                let start = Date()
                var hasher = SHA256()
                for offset in stride(from: 0, to: raw.count, by: piece) {
                    hasher.update(UnsafeRawBufferPointer(rebasing: raw[offset..<min(raw.count, offset + piece)]))
                }
                _ = hasher.finalize()
                best = max(best, Double(mebibytes) / Date().timeIntervalSince(start))
            }
        }
        return best
    }

    private func syntheticBatch(_ n: Int) -> (Tensor, [Int32]) {
        var rng = SeededGenerator(seed: 7, purpose: "bench")
        let images = Tensor(shape: [n] + inputShape)
        for i in 0..<images.count { images[i] = rng.nextNormal() }
        return (images, (0..<n).map { _ in Int32(rng.nextInt(below: classes)) })
    }

    private func measure(batchSize: Int, step: () -> Void) -> [Double] {
        let warmUp = Date()
        while Date().timeIntervalSince(warmUp) < min(0.5, windowSeconds) { step() }
        return (0..<windows).map { _ in
            let start = Date()
            var steps = 0
            repeat { step(); steps += 1 } while Date().timeIntervalSince(start) < windowSeconds
            return Double(steps * batchSize) / Date().timeIntervalSince(start)
        }
    }

    private func result(_ task: String, _ batchSize: Int, _ threads: Int, _ rates: [Double], flopsPerImage: Int)
        -> Result
    {
        let sorted = rates.sorted()
        let median = sorted[sorted.count / 2]
        return Result(
            task: task, model: model, batchSize: batchSize, threads: threads, imagesPerSecond: median,
            minImagesPerSecond: sorted.first!, maxImagesPerSecond: sorted.last!,
            gflops: median * Double(flopsPerImage) / 1e9)
    }
}
