/// Reusing a trained network on another task: a new classification head, and weight copies between
/// networks whose layers match.
public enum TransferLearning {
    /// A copy of `model` whose last dense layer scores `classes` classes, freshly initialised from `seed`;
    /// every other layer keeps its trained weights and statistics.
    public static func replacingHead(of model: Sequential, classes: Int, seed: UInt64) throws -> Sequential {
        var specs = model.spec.layerSpecs
        guard
            let head = specs.lastIndex(where: {
                if case .dense = $0 { return true }; return false
            }),
            !specs[(head + 1)...].contains(where: {
                if case .conv = $0 { return true }; return false
            })
        else {
            throw TransferError.noHead(spec: model.spec.layers)
        }
        specs[head] = .dense(units: classes)
        let spec = try ModelSpec(
            parsing: specs.map(\.text).joined(separator: " "), inputShape: model.spec.inputShape,
            classes: classes)
        let adapted = try Sequential(spec: spec, seed: seed)
        copyWeights(from: model, to: adapted, skippingLayers: Set(head..<specs.count))
        return adapted
    }

    /// Copies every parameter and buffer of `source` into the tensor of the same name and shape in
    /// `target`, except those of the layers in `skippingLayers`. Returns how many tensors were copied.
    @discardableResult
    public static func copyWeights(from source: Sequential, to target: Sequential, skippingLayers: Set<Int> = []) -> Int
    {
        var copied = 0
        for (index, (from, to)) in zip(source.layers, target.layers).enumerated() where !skippingLayers.contains(index)
        {
            for (a, b) in zip(from.parameters + from.buffers, to.parameters + to.buffers)
            where a.value.shape == b.value.shape {
                b.value.copy(from: a.value)
                copied += 1
            }
        }
        return copied
    }
}
