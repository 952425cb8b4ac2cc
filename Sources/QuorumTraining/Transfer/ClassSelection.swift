import QuorumData

/// Narrowing a data set to some classes and a few images per class, for transfer-learning tasks such as
/// "learn classes 5–9 from 100 images each".
extension Dataset {
    /// The images of `classes` only, relabelled 0, 1, … in the order given, with those classes' names.
    public func selectingClasses(_ classes: [Int]) -> Dataset {
        var newLabel = [Int32](repeating: -1, count: max(numClasses, (classes.max() ?? 0) + 1))
        for (i, c) in classes.enumerated() { newLabel[c] = Int32(i) }
        let indices = labels.indices.filter { Int(labels[$0]) < newLabel.count && newLabel[Int(labels[$0])] >= 0 }
        let picked = subset(indices)
        let names = classes.map { $0 < classNames.count ? classNames[$0] : String($0) }
        return Dataset(
            name: name, imageShape: imageShape, pixels: picked.pixels,
            labels: picked.labels.map { newLabel[Int($0)] }, classNames: names)
    }

    /// The first `limit` images of each class, in file order.
    public func limitedPerClass(_ limit: Int) -> Dataset {
        var seen = [Int](repeating: 0, count: numClasses)
        var indices: [Int] = []
        for (i, l) in labels.enumerated() where Int(l) < seen.count && seen[Int(l)] < limit {
            seen[Int(l)] += 1
            indices.append(i)
        }
        return subset(indices)
    }
}
