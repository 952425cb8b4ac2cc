#if arch(x86_64)
    import _Builtin_intrinsics.intel
#endif

/// The element loop of an Adam update, shared by `Adam` and `AdamThenSGD`.
enum AdamKernel {
    /// Updates `count` elements: shrinks by `shrink` (AdamW), adds `l2·p` to the gradient, updates the
    /// moments, and steps `p -= stepSize · m / (√v / correction2 + ε)`.
    @inline(__always)
    static func update(
        value w: UnsafeMutablePointer<Float>, gradient g: UnsafeMutablePointer<Float>,
        m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>, count n: Int,
        beta1: Float, beta2: Float, epsilon: Float, stepSize: Float, correction2: Float,
        l2: Float, shrink: Float
    ) {
        let a1 = 1 - beta1, a2 = 1 - beta2
        var j = 0
        #if arch(x86_64)
            // Float.squareRoot() lowers to a libm call on Linux, which keeps the compiler from vectorising
            // the loop; four lanes at a time with SSE's sqrtps run the same operations in the same order,
            // so the result is bit-identical to the scalar loop below.
            let wr = UnsafeMutableRawPointer(w), gr = UnsafeRawPointer(g)
            let mr = UnsafeMutableRawPointer(m), vr = UnsafeMutableRawPointer(v)
            while j + 4 <= n {
                let offset = j * MemoryLayout<Float>.stride
                let x = wr.loadUnaligned(fromByteOffset: offset, as: SIMD4<Float>.self) * shrink
                let d = gr.loadUnaligned(fromByteOffset: offset, as: SIMD4<Float>.self) + l2 * x
                let mj = beta1 * mr.loadUnaligned(fromByteOffset: offset, as: SIMD4<Float>.self) + a1 * d
                let vj = beta2 * vr.loadUnaligned(fromByteOffset: offset, as: SIMD4<Float>.self) + a2 * d * d
                mr.storeBytes(of: mj, toByteOffset: offset, as: SIMD4<Float>.self)
                vr.storeBytes(of: vj, toByteOffset: offset, as: SIMD4<Float>.self)
                let root = SIMD4<Float>(_mm_sqrt_ps(vj))
                wr.storeBytes(
                    of: x - stepSize * mj / (root / correction2 + epsilon), toByteOffset: offset,
                    as: SIMD4<Float>.self)
                j += 4
            }
        #endif
        while j < n {
            let x = w[j] * shrink
            let d = g[j] + l2 * x
            let mj = beta1 * m[j] + a1 * d
            let vj = beta2 * v[j] + a2 * d * d
            m[j] = mj
            v[j] = vj
            w[j] = x - stepSize * mj / (vj.squareRoot() / correction2 + epsilon)
            j += 1
        }
    }
}
