import Foundation
import QuorumCore

/// Measures a model's inference throughput on a synthetic batch: the median of a few timed windows, so a
/// pruned model and its original can be compared in the same session.
public enum InferenceSpeed {
    /// Images per second of `model.forward(training: false)` at `batchSize`, over `windows` windows of
    /// `windowSeconds` each, after a short warm-up.
    public static func measure(_ model: Sequential, batchSize: Int = 256, windows: Int = 3, windowSeconds: Double = 0.3)
        -> Double
    {
        var rng = SeededGenerator(seed: 7, purpose: "inference-speed")
        let images = Tensor(shape: [batchSize] + model.spec.inputShape)
        for i in 0..<images.count { images[i] = rng.nextNormal() }
        _ = model.forward(images, training: false)
        var rates: [Double] = []
        for _ in 0..<max(1, windows) {
            let start = Date()
            var batches = 0
            repeat {
                _ = model.forward(images, training: false)
                batches += 1
            } while Date().timeIntervalSince(start) < windowSeconds
            rates.append(Double(batches * batchSize) / Date().timeIntervalSince(start))
        }
        return rates.sorted()[rates.count / 2]
    }
}
