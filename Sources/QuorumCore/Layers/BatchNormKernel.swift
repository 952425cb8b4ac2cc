import Foundation

/// How batch norm spreads its passes over the compute threads without changing a bit.
///
/// Per-channel sums are split by channel: each channel is summed by one thread over the rows in order, the
/// same order as on one thread, so the result does not depend on the thread count. Elementwise passes are
/// split by rows, which changes nothing either. Small tensors stay on the calling thread: waking a second
/// thread costs more than the work.
enum BatchNormKernel {
    /// Elements below which a pass stays on the calling thread.
    static let minimumParallelCount = 16_384

    /// How many parts to split a `[rows, channels]` pass into: the compute thread count (at most one
    /// part per channel), or 1 for small tensors.
    static func parts(rows: Int, channels: Int, threads: Int = ComputeThreads.current) -> Int {
        guard threads > 1, rows * channels >= minimumParallelCount else { return 1 }
        return min(threads, channels)
    }

    /// Runs `body` over `parts` contiguous slices of `0..<count` that together cover it, concurrently
    /// when `parts` > 1; returns when every slice is done.
    static func split(_ count: Int, parts: Int, _ body: (Range<Int>) -> Void) {
        guard parts > 1 else { return body(0..<count) }
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let range = count * part / parts..<count * (part + 1) / parts
            if !range.isEmpty { body(range) }
        }
    }
}
