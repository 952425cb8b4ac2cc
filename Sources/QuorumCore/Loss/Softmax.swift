#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// Row-wise softmax of `[N, C]` logits into `probabilities` (resized to match). Subtracts each row's
/// maximum first so large logits cannot overflow `exp`.
public func softmax(_ logits: Tensor, into probabilities: Tensor) {
    let n = logits.batch, c = logits.itemCount
    probabilities.resize(to: [n, c])
    for r in 0..<n {
        let z = logits.data + r * c, p = probabilities.data + r * c
        var top = z[0]
        for j in 1..<c where z[j] > top { top = z[j] }
        var sum: Double = 0
        for j in 0..<c {
            let e = expf(z[j] - top)
            p[j] = e
            sum += Double(e)
        }
        let inverse = Float(1 / sum)
        for j in 0..<c { p[j] *= inverse }
    }
}
