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
    public static func run(
        _ model: Sequential, on dataset: Dataset, normalization: Normalization,
        batchSize: Int = BatchPredictor.batchSize,
        testTimeAugmentation: TestTimeAugmentation = .none
    ) -> Evaluation {
        let classes = model.spec.classes
        let loss = SoftmaxCrossEntropy(classes: classes)
        let predictor = BatchPredictor(
            model: model, table: NormalizationTable(normalization),
            augmentation: testTimeAugmentation, batchSize: batchSize)
        var probabilities = [Float](repeating: 0, count: dataset.count * classes)
        var predictions = [Int32](repeating: 0, count: dataset.count)
        var lossSum = 0.0
        dataset.pixels.withUnsafeBufferPointer { pixels in
            dataset.labels.withUnsafeBufferPointer { labels in
                probabilities.withUnsafeMutableBufferPointer { output in
                    guard let pixels = pixels.baseAddress, let output = output.baseAddress else { return }
                    predictor.predict(pixels, count: dataset.count, into: output) { start, probs, logits in
                        let n = probs.batch
                        if let logits {
                            let batchLabels = UnsafeBufferPointer(rebasing: labels[start..<(start + n)])
                            let batchLoss = loss.forward(logits: logits, labels: batchLabels)
                            lossSum += Double(batchLoss) * Double(n)
                        } else {
                            for i in 0..<n {
                                let p = probs.data[i * classes + Int(labels[start + i])]
                                lossSum -= log(Double(max(p, .leastNormalMagnitude)))
                            }
                        }
                        for i in 0..<n {
                            predictions[start + i] = Int32(argmax(probs.data + i * classes, classes).index)
                        }
                    }
                }
            }
        }
        let correct = zip(predictions, dataset.labels).filter { $0 == $1 }.count
        return Evaluation(
            loss: dataset.count > 0 ? lossSum / Double(dataset.count) : 0,
            accuracy: dataset.count > 0 ? Double(correct) / Double(dataset.count) : 0,
            perClassAccuracy: QuorumData.perClassAccuracy(
                predictions: predictions, labels: dataset.labels, classes: classes),
            probabilities: probabilities, predictions: predictions)
    }
}
