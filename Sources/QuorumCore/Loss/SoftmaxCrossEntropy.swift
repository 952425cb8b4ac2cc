#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// Softmax followed by cross-entropy, as PyTorch's `F.cross_entropy(logits, labels, weight=…,
/// label_smoothing=…)` with mean reduction.
///
/// With class weights w and smoothing ε over C classes, sample i with label y contributes
/// (1 − ε)·w_y·(−log p_iy) + (ε/C)·Σ_c w_c·(−log p_ic), and the mean divides by Σ_i w_{y_i}
/// (PyTorch's weighted mean); without weights every w is 1 and the divisor is N.
public final class SoftmaxCrossEntropy {
    /// The number of classes (the logits' second dimension).
    public let classes: Int
    /// Per-class loss weights, or nil for equal weights.
    public let classWeights: [Float]?
    /// The share of the target spread evenly over all classes.
    public let labelSmoothing: Float
    /// dLoss/dLogits of the last `forward`, already divided like the loss.
    public let gradient = Tensor(shape: [0])
    private let probabilities = Tensor(shape: [0])
    /// The class weights, or ones.
    private let weights: [Float]
    private let weightTotal: Float

    /// A loss over `classes` classes, optionally weighted per class and label-smoothed.
    /// Traps on settings that `validate` rejects.
    public init(classes: Int, classWeights: [Float]? = nil, labelSmoothing: Float = 0) {
        do {
            try SoftmaxCrossEntropy.validate(
                classes: classes, classWeights: classWeights,
                labelSmoothing: labelSmoothing)
        } catch { preconditionFailure("\(error)") }
        self.classes = classes
        self.classWeights = classWeights
        self.labelSmoothing = labelSmoothing
        weights = classWeights ?? [Float](repeating: 1, count: classes)
        weightTotal = weights.reduce(0, +)
    }

    /// Checks the settings: at least one class, one finite non-negative weight per class, smoothing in [0, 1].
    public static func validate(classes: Int, classWeights: [Float]? = nil, labelSmoothing: Float = 0) throws {
        guard classes > 0 else { throw LossError.noClasses(classes) }
        if let w = classWeights {
            guard w.count == classes else {
                throw LossError.badClassWeights(
                    count: w.count, classes: classes, detail: "expected one weight per class")
            }
            guard w.allSatisfy({ $0 >= 0 && $0.isFinite }) else {
                throw LossError.badClassWeights(
                    count: w.count, classes: classes,
                    detail: "expected finite non-negative weights, got \(w)")
            }
        }
        guard labelSmoothing >= 0, labelSmoothing <= 1 else { throw LossError.badLabelSmoothing(labelSmoothing) }
    }

    /// The mean loss of `[N, classes]` logits against N labels; also fills `gradient`.
    public func forward(logits: Tensor, labels: UnsafeBufferPointer<Int32>) -> Float {
        let n = logits.batch, c = classes
        precondition(logits.itemCount == c, "SoftmaxCrossEntropy: logits \(logits.shape) for \(c) classes")
        precondition(labels.count == n, "SoftmaxCrossEntropy: \(labels.count) labels for a batch of \(n)")
        softmax(logits, into: probabilities)
        gradient.resize(to: [n, c])
        let eps = labelSmoothing, share = labelSmoothing / Float(c)
        var total: Double = 0, divisor: Double = 0
        weights.withUnsafeBufferPointer { w in
            for r in 0..<n {
                let y = Int(labels[r])
                precondition(y >= 0 && y < c, "SoftmaxCrossEntropy: label \(y) of sample \(r) not in 0..<\(c)")
                let z = logits.data + r * c, p = probabilities.data + r * c, g = gradient.data + r * c
                // log p_j = z_j − logsumexp(z), computed from the shifted logits for stability.
                var top = z[0]
                for j in 1..<c where z[j] > top { top = z[j] }
                var sum: Double = 0
                for j in 0..<c { sum += Double(expf(z[j] - top)) }
                let logNorm = Double(top) + log(sum)
                let wy = w[y]
                var sampleLoss = Double(1 - eps) * Double(wy) * (logNorm - Double(z[y]))
                if eps > 0 {
                    var smooth: Double = 0
                    for j in 0..<c { smooth += Double(w[j]) * (logNorm - Double(z[j])) }
                    sampleLoss += Double(share) * smooth
                }
                total += sampleLoss
                divisor += Double(wy)
                // d/dz_j = p_j·((1 − ε)·w_y + (ε/C)·Σw) − (1 − ε)·w_y·[j = y] − (ε/C)·w_j
                let pScale = (1 - eps) * wy + share * weightTotal
                for j in 0..<c { g[j] = p[j] * pScale - share * w[j] }
                g[y] -= (1 - eps) * wy
            }
        }
        // All-zero weights in a batch leave nothing to average; PyTorch returns NaN, a zero step is kinder.
        guard divisor > 0 else {
            gradient.zero()
            return 0
        }
        let inverse = Float(1 / divisor)
        for i in 0..<gradient.count { gradient.data[i] *= inverse }
        return Float(total / divisor)
    }

    /// How many rows' argmax (lowest index on ties) equals the label.
    public func correctCount(logits: Tensor, labels: UnsafeBufferPointer<Int32>) -> Int {
        let n = logits.batch, c = logits.itemCount
        precondition(labels.count == n, "SoftmaxCrossEntropy: \(labels.count) labels for a batch of \(n)")
        var correct = 0
        for r in 0..<n where argmax(logits.data + r * c, c).index == Int(labels[r]) { correct += 1 }
        return correct
    }
}
