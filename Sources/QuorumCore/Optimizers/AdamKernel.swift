/// The element loop of an Adam update, shared by `Adam` and `AdamThenSGD`.
enum AdamKernel {
    /// Updates `count` elements: shrinks by `shrink` (AdamW), adds `l2·p` to the gradient, updates the
    /// moments, and steps `p -= stepSize · m / (√v / correction2 + ε)`.
    @inline(__always)
    static func update(value w: UnsafeMutablePointer<Float>, gradient g: UnsafeMutablePointer<Float>,
                       m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>, count n: Int,
                       beta1: Float, beta2: Float, epsilon: Float, stepSize: Float, correction2: Float,
                       l2: Float, shrink: Float) {
        let a1 = 1 - beta1, a2 = 1 - beta2
        for j in 0..<n {
            let x = w[j] * shrink
            let d = g[j] + l2 * x
            let mj = beta1 * m[j] + a1 * d
            let vj = beta2 * v[j] + a2 * d * d
            m[j] = mj
            v[j] = vj
            w[j] = x - stepSize * mj / (vj.squareRoot() / correction2 + epsilon)
        }
    }
}
