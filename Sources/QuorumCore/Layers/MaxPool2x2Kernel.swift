/// The per-window channel loops of a 2×2 max-pool, four channels at a time.
///
/// Written with explicit four-lane vectors because the compiler's own vectoriser guards each window's
/// short channel loop with pointer-overlap checks that cost more than the loop. The winner of a window
/// is kept as a Float slot (0…3: top-left, top-right, bottom-left, bottom-right) so that every
/// comparison stays in float lanes. Ties go to the first slot, as in PyTorch.
enum MaxPool2x2Kernel {
    private typealias F4 = SIMD4<Float>

    /// The maxima of one window for `c` channels; `rows` is the distance to the window's second row and
    /// `c` to its second column. `rectify` applies ReLU to the result.
    @inline(__always)
    static func values(
        _ x: UnsafePointer<Float>, rows: Int, channels c: Int, rectify: Bool,
        into y: UnsafeMutablePointer<Float>
    ) {
        let r0 = UnsafeRawPointer(x), r1 = UnsafeRawPointer(x + c), r2 = UnsafeRawPointer(x + rows),
            r3 = UnsafeRawPointer(x + rows + c), out = UnsafeMutableRawPointer(y)
        var ch = 0
        while ch + 4 <= c {
            let o = ch * 4
            // Compare-and-select, not pointwiseMax, whose IEEE maximum semantics compile lane by lane.
            var best = r0.loadUnaligned(fromByteOffset: o, as: F4.self)
            let b = r1.loadUnaligned(fromByteOffset: o, as: F4.self)
            best.replace(with: b, where: b .> best)
            let d = r2.loadUnaligned(fromByteOffset: o, as: F4.self)
            best.replace(with: d, where: d .> best)
            let e = r3.loadUnaligned(fromByteOffset: o, as: F4.self)
            best.replace(with: e, where: e .> best)
            out.storeBytes(
                of: rectify ? F4.zero.replacing(with: best, where: best .> 0) : best, toByteOffset: o, as: F4.self)
            ch += 4
        }
        while ch < c {
            var best = x[ch]
            if x[c + ch] > best { best = x[c + ch] }
            if x[rows + ch] > best { best = x[rows + ch] }
            if x[rows + c + ch] > best { best = x[rows + c + ch] }
            y[ch] = rectify ? (best > 0 ? best : 0) : best
            ch += 1
        }
    }

    /// The maxima of one window and the slot of each winner.
    @inline(__always)
    static func forward(
        _ x: UnsafePointer<Float>, rows: Int, channels c: Int, rectify: Bool,
        into y: UnsafeMutablePointer<Float>, slots: UnsafeMutablePointer<Float>
    ) {
        let r0 = UnsafeRawPointer(x), r1 = UnsafeRawPointer(x + c), r2 = UnsafeRawPointer(x + rows),
            r3 = UnsafeRawPointer(x + rows + c), out = UnsafeMutableRawPointer(y), at = UnsafeMutableRawPointer(slots)
        var ch = 0
        while ch + 4 <= c {
            let o = ch * 4
            var best = r0.loadUnaligned(fromByteOffset: o, as: F4.self), slot = F4.zero
            let b = r1.loadUnaligned(fromByteOffset: o, as: F4.self), t1 = b .> best
            best.replace(with: b, where: t1)
            slot.replace(with: 1, where: t1)
            let d = r2.loadUnaligned(fromByteOffset: o, as: F4.self), t2 = d .> best
            best.replace(with: d, where: t2)
            slot.replace(with: 2, where: t2)
            let e = r3.loadUnaligned(fromByteOffset: o, as: F4.self), t3 = e .> best
            best.replace(with: e, where: t3)
            slot.replace(with: 3, where: t3)
            out.storeBytes(
                of: rectify ? F4.zero.replacing(with: best, where: best .> 0) : best, toByteOffset: o, as: F4.self)
            at.storeBytes(of: slot, toByteOffset: o, as: F4.self)
            ch += 4
        }
        while ch < c {
            var best = x[ch], slot: Float = 0
            if x[c + ch] > best { best = x[c + ch]; slot = 1 }
            if x[rows + ch] > best { best = x[rows + ch]; slot = 2 }
            if x[rows + c + ch] > best { best = x[rows + c + ch]; slot = 3 }
            y[ch] = rectify ? (best > 0 ? best : 0) : best
            slots[ch] = slot
            ch += 1
        }
    }

    /// Writes one window's four input gradients: the output gradient at the winner's slot (zero where a
    /// rectified output is not positive), zeros elsewhere.
    @inline(__always)
    static func backward(
        _ dy: UnsafePointer<Float>, outputs y: UnsafePointer<Float>, slots: UnsafePointer<Float>,
        channels c: Int, rows: Int, rectify: Bool, into dx: UnsafeMutablePointer<Float>
    ) {
        let g = UnsafeRawPointer(dy), v = UnsafeRawPointer(y), s = UnsafeRawPointer(slots)
        let x0 = UnsafeMutableRawPointer(dx), x1 = UnsafeMutableRawPointer(dx + c),
            x2 = UnsafeMutableRawPointer(dx + rows), x3 = UnsafeMutableRawPointer(dx + rows + c)
        var ch = 0
        while ch + 4 <= c {
            let o = ch * 4
            var routed = g.loadUnaligned(fromByteOffset: o, as: F4.self)
            if rectify {
                routed = F4.zero.replacing(with: routed, where: v.loadUnaligned(fromByteOffset: o, as: F4.self) .> 0)
            }
            let slot = s.loadUnaligned(fromByteOffset: o, as: F4.self)
            x0.storeBytes(
                of: F4.zero.replacing(with: routed, where: slot .== F4(repeating: 0)), toByteOffset: o, as: F4.self)
            x1.storeBytes(
                of: F4.zero.replacing(with: routed, where: slot .== F4(repeating: 1)), toByteOffset: o, as: F4.self)
            x2.storeBytes(
                of: F4.zero.replacing(with: routed, where: slot .== F4(repeating: 2)), toByteOffset: o, as: F4.self)
            x3.storeBytes(
                of: F4.zero.replacing(with: routed, where: slot .== F4(repeating: 3)), toByteOffset: o, as: F4.self)
            ch += 4
        }
        while ch < c {
            let routed = rectify ? (y[ch] > 0 ? dy[ch] : 0) : dy[ch], slot = slots[ch]
            dx[ch] = slot == 0 ? routed : 0
            dx[c + ch] = slot == 1 ? routed : 0
            dx[rows + ch] = slot == 2 ? routed : 0
            dx[rows + c + ch] = slot == 3 ? routed : 0
            ch += 1
        }
    }
}
