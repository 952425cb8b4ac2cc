import Foundation

/// An exponential moving average of a model's tensors (`--ema DECAY`), for evaluating and saving a
/// smoother model than the last optimizer step gives.
///
/// After update t (t = 1, 2, …) the shadow of each tensor is s_t = d·s_{t−1} + (1 − d)·v_t, with s_0 = 0,
/// and the average is s_t / (1 − d^t): Adam's bias correction, so early averages are means of the steps
/// seen so far rather than pulled towards zero or towards the random initial weights.
///
/// Tracked tensors are the trainable parameters and the buffers: BatchNorm's running mean and variance are
/// averaged with the weights they normalise for (as timm's `ModelEmaV2` does), so the averaged model's
/// statistics match its averaged weights rather than the last step's. Frozen parameters never change and
/// are not tracked. Every element is updated by one thread in a fixed order, so the result does not
/// depend on the thread count.
public final class WeightAverage {
    /// The decay d per update, in [0, 1).
    public let decay: Float
    /// Updates done so far.
    public private(set) var updates = 0
    /// The live tensors, in the order given.
    public let tracked: [Parameter]
    private let shadows: [Tensor]
    /// The live values while `withAverage` has the average in place.
    private var stash: [Tensor]?

    /// Tracks `tensors` with `decay`, which must lie in [0, 1).
    public init(tracking tensors: [Parameter], decay: Float) {
        precondition(decay >= 0 && decay < 1, "WeightAverage: decay must be in [0, 1), got \(decay)")
        self.decay = decay
        tracked = tensors
        shadows = tensors.map { Tensor(shape: $0.value.shape) }
    }

    /// The trainable parameters and all buffers of `model`: what `--ema` averages.
    public convenience init(model: Sequential, decay: Float) {
        self.init(tracking: model.parameters.filter(\.trainable) + model.buffers, decay: decay)
    }

    /// Folds the current values into the shadows; call once after each optimizer step.
    public func update() {
        precondition(stash == nil, "WeightAverage.update while the average is swapped in")
        let d = decay, keep = 1 - decay
        for (p, s) in zip(tracked, shadows) {
            let v = p.value.data, a = s.data
            for i in 0..<p.count { a[i] = d * a[i] + keep * v[i] }
        }
        updates += 1
    }

    /// The bias correction 1/(1 − d^t) after `updates` updates (1 before any).
    public var correction: Float {
        guard updates > 0 else { return 1 }
        return Float(1 / (1 - pow(Double(decay), Double(updates))))
    }

    /// Writes the average into `tensor`, which has the shape of tracked tensor `index`.
    public func average(_ index: Int, into tensor: Tensor) {
        let s = shadows[index], c = correction, out = tensor.data
        for i in 0..<s.count { out[i] = s.data[i] * c }
    }

    /// Runs `body` with the average in the live tensors, then puts the live values back. Before any update
    /// the live values are left as they are.
    public func withAverage<T>(_ body: () throws -> T) rethrows -> T {
        guard updates > 0 else { return try body() }
        stash = tracked.map { $0.value.clone() }
        for (i, p) in tracked.enumerated() { average(i, into: p.value) }
        defer {
            for (p, saved) in zip(tracked, stash!) { p.value.copy(from: saved) }
            stash = nil
        }
        return try body()
    }

    /// Replaces the live values with the average for good (the end of training); no-op before any update.
    public func copyAverageIntoModel() {
        guard updates > 0 else { return }
        for (i, p) in tracked.enumerated() { average(i, into: p.value) }
    }
}
