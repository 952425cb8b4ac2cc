/// The parameter list of an optimizer and its flat per-parameter state buffers.
///
/// Every state buffer is one allocation laid out like the concatenated parameters, so parameter `i`'s
/// slice starts at `offsets[i]`. Frozen parameters keep a slice too: unfreezing one later (fine-tuning)
/// must not reallocate during training.
final class OptimizerState {
    /// The parameters, in the order the optimizer was given them.
    let parameters: [Parameter]
    /// Where each parameter's slice starts in a state buffer.
    let offsets: [Int]
    /// Each parameter's element count at construction, checked on every step.
    let counts: [Int]
    /// The total number of scalars over all parameters.
    let total: Int
    /// The zero-initialised buffers, `total` floats each.
    let buffers: [UnsafeMutablePointer<Float>]

    /// State for `parameters` with `bufferCount` zeroed buffers of the parameters' total size.
    init(parameters: [Parameter], bufferCount: Int) {
        var offsets: [Int] = []
        var counts: [Int] = []
        var total = 0
        for p in parameters {
            precondition(
                p.gradient.count == p.value.count,
                "parameter \(p.name): gradient has \(p.gradient.count) elements, value \(p.value.count)")
            offsets.append(total)
            counts.append(p.count)
            total += p.count
        }
        self.parameters = parameters
        self.offsets = offsets
        self.counts = counts
        self.total = total
        buffers = (0..<bufferCount).map { _ in
            let b = UnsafeMutablePointer<Float>.allocate(capacity: max(total, 1))
            b.initialize(repeating: 0, count: max(total, 1))
            return b
        }
    }

    deinit { for b in buffers { b.deallocate() } }

    /// Parameter `i`'s element count, checked against the count at construction: a resized parameter
    /// would make the optimizer write past its state slices.
    @inline(__always)
    func count(_ i: Int) -> Int {
        let n = parameters[i].count
        precondition(n == counts[i], "parameter \(parameters[i].name) changed size from \(counts[i]) to \(n)")
        return n
    }

    /// Sets every state buffer to zero.
    func reset() { for b in buffers { b.update(repeating: 0, count: max(total, 1)) } }
}
