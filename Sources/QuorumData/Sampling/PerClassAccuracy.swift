/// The fraction of each class's images predicted correctly, by class. A class with no images gets 0.
public func perClassAccuracy(predictions: [Int32], labels: [Int32], classes: Int) -> [Double] {
    precondition(predictions.count == labels.count, "\(predictions.count) predictions for \(labels.count) labels")
    var correct = [Int](repeating: 0, count: classes), total = [Int](repeating: 0, count: classes)
    for (p, l) in zip(predictions, labels) where l >= 0 && Int(l) < classes {
        total[Int(l)] += 1
        if p == l { correct[Int(l)] += 1 }
    }
    return (0..<classes).map { total[$0] > 0 ? Double(correct[$0]) / Double(total[$0]) : 0 }
}
