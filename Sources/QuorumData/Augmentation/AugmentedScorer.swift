import QuorumCore

/// Scores batches with one model under a test-time augmentation, reusing its buffers between batches.
public final class AugmentedScorer {
    /// The network.
    public let model: Sequential
    /// The views averaged.
    public let augmentation: TestTimeAugmentation
    /// The normalised value of a black pixel, per channel.
    public let fill: [Float]
    private let viewInput = Tensor(shape: [0])
    private let viewProbabilities = Tensor(shape: [0])

    /// A scorer for `model`; `fill` is the normalised value of a black pixel in each channel.
    public init(model: Sequential, augmentation: TestTimeAugmentation, fill: [Float]) {
        self.model = model
        self.augmentation = augmentation
        self.fill = fill
    }

    /// The softmax probabilities of normalised `images` (`[N, H, W, C]`), averaged over the views, into
    /// `probabilities` (`[N, classes]`). Views are added in a fixed order, so results are reproducible.
    /// Without augmentation it returns the logits too (for the loss); with it, nil.
    @discardableResult
    public func score(_ images: Tensor, into probabilities: Tensor) -> Tensor? {
        guard augmentation != .none else {
            let logits = model.forward(images, training: false)
            softmax(logits, into: probabilities)
            return logits
        }
        for index in 0..<augmentation.viewCount {
            augmentation.view(index, of: images, into: viewInput, fill: fill)
            softmax(model.forward(viewInput, training: false), into: index == 0 ? probabilities : viewProbabilities)
            if index > 0 {
                let sum = probabilities.data, add = viewProbabilities.data
                for i in 0..<probabilities.count { sum[i] += add[i] }
            }
        }
        let scale = 1 / Float(augmentation.viewCount)
        for i in 0..<probabilities.count { probabilities.data[i] *= scale }
        return nil
    }
}
