import Foundation
import QuorumData
import QuorumCore

/// A model's answers on a data set: mean loss, accuracy, per-class accuracy and the softmax probabilities.
public struct Evaluation: Sendable {
    public var loss: Double
    public var accuracy: Double
    public var perClassAccuracy: [Double]
    /// N × C row-major probabilities, in the data set's order.
    public var probabilities: [Float]
    /// The arg-max class of each image.
    public var predictions: [Int32]

    /// Runs `model` in inference mode over `dataset` in batches, keeping every probability. With a
    /// test-time augmentation the probabilities are the mean over its views, and the loss is the
    /// cross-entropy of those mean probabilities.
    public static func run(_ model: Sequential, on dataset: Dataset, normalization: Normalization,
                           batchSize: Int = 256, testTimeAugmentation: TestTimeAugmentation = .none) -> Evaluation {
        let classes = model.spec.classes
        let loss = SoftmaxCrossEntropy(classes: classes)
        let black = zip(normalization.mean, normalization.std).map { -$0 / $1 }
        let scorer = AugmentedScorer(model: model, augmentation: testTimeAugmentation, fill: black)
        let probs = Tensor(shape: [1, classes])
        let images = Tensor(shape: [1] + dataset.imageShape)
        var labels: [Int32] = []
        var probabilities = [Float](repeating: 0, count: dataset.count * classes)
        var predictions = [Int32](repeating: 0, count: dataset.count)
        var lossSum = 0.0
        var done = 0
        let batches = BatchLoader.evaluationBatches(dataset: dataset, batchSize: batchSize, normalization: normalization)
        while batches.next(into: images, labels: &labels) {
            let n = labels.count
            if let logits = scorer.score(images, into: probs) {
                let batchLoss = labels.withUnsafeBufferPointer { loss.forward(logits: logits, labels: $0) }
                lossSum += Double(batchLoss) * Double(n)
            } else {
                for i in 0..<n {
                    lossSum -= log(Double(max(probs.data[i * classes + Int(labels[i])], .leastNormalMagnitude)))
                }
            }
            for i in 0..<n {
                var best = 0
                for c in 0..<classes {
                    let p = probs.data[i * classes + c]
                    probabilities[(done + i) * classes + c] = p
                    if p > probs.data[i * classes + best] { best = c }
                }
                predictions[done + i] = Int32(best)
            }
            done += n
        }
        let correct = zip(predictions, dataset.labels).filter { $0 == $1 }.count
        return Evaluation(loss: dataset.count > 0 ? lossSum / Double(dataset.count) : 0,
                          accuracy: dataset.count > 0 ? Double(correct) / Double(dataset.count) : 0,
                          perClassAccuracy: QuorumData.perClassAccuracy(predictions: predictions, labels: dataset.labels, classes: classes),
                          probabilities: probabilities, predictions: predictions)
    }
}
