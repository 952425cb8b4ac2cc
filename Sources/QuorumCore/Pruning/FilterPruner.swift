/// Structured pruning by filter L1 norm (Li et al. 2017, "Pruning Filters for Efficient ConvNets").
///
/// A pruned model is rebuilt physically smaller, not masked: its `ModelSpec` names the smaller filter
/// counts (`conv3x3(32)` becomes `conv3x3(22)`), and every tensor that read a removed channel (the next
/// convolution's input channels, BatchNorm's parameters and statistics, the dense layer after `flatten`
/// or `gap`) loses the matching slice. Its model file is an ordinary one.
public enum FilterPruner {
    /// The L1 norm of each filter of each prunable convolution, keyed by layer index.
    public static func filterNorms(_ model: Sequential) -> [Int: [Float]] {
        var norms: [Int: [Float]] = [:]
        for index in prunableLayers(model.spec) {
            guard let conv = model.layers[index] as? Conv2D else { continue }
            let w = conv.weight.value.data, rows = conv.weight.value.shape[0], f = conv.filters
            var sums = [Float](repeating: 0, count: f)
            for r in 0..<rows {
                for o in 0..<f { sums[o] += abs(w[r * f + o]) }
            }
            norms[index] = sums
        }
        return norms
    }

    /// Indices of the convolutions whose filters can go: those whose channels feed a later convolution or
    /// dense layer. A convolution whose channels are the model's output (e.g. before a final `gap`) cannot.
    public static func prunableLayers(_ spec: ModelSpec) -> [Int] {
        let specs = spec.layerSpecs
        return specs.indices.filter { i in
            guard case .conv = specs[i] else { return false }
            return specs[(i + 1)...].contains {
                if case .conv = $0 { return true }
                if case .dense = $0 { return true }
                return false
            }
        }
    }

    /// The filter count of every convolution, keyed by layer index.
    public static func filterCounts(_ spec: ModelSpec) -> [Int: Int] {
        var counts: [Int: Int] = [:]
        for (i, s) in spec.layerSpecs.enumerated() {
            if case let .conv(_, f, _, _) = s { counts[i] = f }
        }
        return counts
    }

    /// How many filters each prunable layer keeps after removing `fraction` of `original` filters
    /// (rounded to the nearest filter; at least one filter always stays).
    public static func keepCounts(original: [Int: Int], fraction: Double) -> [Int: Int] {
        original.mapValues { n in max(1, n - Int((Double(n) * fraction).rounded())) }
    }

    /// A smaller copy of `model` keeping, in each convolution named in `keep`, that many filters: those with
    /// the largest L1 norms, in their original order. Layers not named keep all their filters.
    public static func prune(_ model: Sequential, keeping keep: [Int: Int]) throws -> Sequential {
        let specs = model.spec.layerSpecs
        let prunable = Set(prunableLayers(model.spec))
        let norms = filterNorms(model)
        var kept: [Int: [Int]] = [:]
        for (index, count) in keep {
            guard prunable.contains(index), let layerNorms = norms[index] else {
                throw PruningError.notPrunable(layer: index, spec: model.spec.layers)
            }
            guard count >= 1, count <= layerNorms.count else {
                throw PruningError.badCount(layer: index, keep: count, filters: layerNorms.count)
            }
            // Highest norm first; ties go to the lower index so the choice is deterministic.
            let ranked = layerNorms.indices.sorted {
                layerNorms[$0] != layerNorms[$1] ? layerNorms[$0] > layerNorms[$1] : $0 < $1
            }
            kept[index] = ranked.prefix(count).sorted()
        }
        var newSpecs = specs
        for (index, channels) in kept {
            if case let .conv(k, _, s, p) = specs[index] {
                newSpecs[index] = .conv(kernel: k, filters: channels.count, stride: s, padding: p)
            }
        }
        let spec: ModelSpec
        do {
            spec = try ModelSpec(
                parsing: newSpecs.map(\.text).joined(separator: " "), inputShape: model.spec.inputShape,
                classes: model.spec.classes)
        } catch { throw PruningError.rebuild(reason: "\(error)") }
        let pruned = try Sequential(spec: spec, seed: 0)

        // Walk the layers with the kept indices of the current tensor's channel (or feature) dimension.
        var selection: [Int]?
        for (index, layer) in model.layers.enumerated() {
            let target = pruned.layers[index]
            switch layer {
            case let conv as Conv2D:
                let out = kept[index]
                copyConv(conv, into: target as! Conv2D, inputs: selection, outputs: out)
                selection = out
            case let dense as Dense:
                copyDense(dense, into: target as! Dense, inputs: selection)
                selection = nil
            case let norm as BatchNorm2D:
                let newNorm = target as! BatchNorm2D
                for (from, to) in zip(norm.parameters + norm.buffers, newNorm.parameters + newNorm.buffers) {
                    copySelected(from.value.array, into: to, selection)
                }
            case let flatten as Flatten:
                if let channels = selection, flatten.inputShape.count == 3 {
                    // Flatten is CHW order: channel c owns features c·HW ..< (c+1)·HW.
                    let pixels = flatten.inputShape[0] * flatten.inputShape[1]
                    selection = channels.flatMap { c in (c * pixels)..<((c + 1) * pixels) }
                }
            default:
                break  // no parameters; the channel dimension passes through unchanged (gap keeps it as features)
            }
        }
        return pruned
    }

    /// Removes `fraction` of the filters (lowest L1 norm first) from every prunable convolution.
    public static func prune(_ model: Sequential, fraction: Double) throws -> Sequential {
        guard fraction >= 0, fraction < 1 else { throw PruningError.badRatio(fraction) }
        let counts = filterCounts(model.spec).filter { prunableLayers(model.spec).contains($0.key) }
        return try prune(model, keeping: keepCounts(original: counts, fraction: fraction))
    }

    private static func copyConv(_ from: Conv2D, into to: Conv2D, inputs: [Int]?, outputs: [Int]?) {
        let old = from.pytorchWeight()
        let taps = from.kernelSize * from.kernelSize
        let ins = inputs ?? Array(0..<from.inChannels), outs = outputs ?? Array(0..<from.filters)
        var values = [Float]()
        values.reserveCapacity(ins.count * outs.count * taps)
        for o in outs {
            for c in ins {
                let start = (o * from.inChannels + c) * taps
                values += old[start..<(start + taps)]
            }
        }
        to.setPytorchWeight(values)
        copySelected(from.bias.value.array, into: to.bias, outputs)
    }

    private static func copyDense(_ from: Dense, into to: Dense, inputs: [Int]?) {
        let old = from.weight.value.array
        let ins = inputs ?? Array(0..<from.inFeatures)
        var i = 0
        for o in 0..<from.outFeatures {
            let row = o * from.inFeatures
            for f in ins {
                to.weight.value[i] = old[row + f]
                i += 1
            }
        }
        copySelected(from.bias.value.array, into: to.bias, nil)
    }

    private static func copySelected(_ values: [Float], into p: Parameter, _ selection: [Int]?) {
        let picked = selection.map { $0.map { values[$0] } } ?? values
        precondition(picked.count == p.count, "\(p.name): \(picked.count) values for \(p.count)")
        for (i, v) in picked.enumerated() { p.value[i] = v }
    }
}
