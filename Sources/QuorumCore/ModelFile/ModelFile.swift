import Foundation

/// Saves and loads a `Sequential` as safetensors, with its `ModelMetadata` in the header.
///
/// Tensors use PyTorch's layouts: convolution weights OIHW `[out, in, kh, kw]`, dense weights `[out, in]`
/// with the input in CHW flatten order. docs/formats.md lists the names and keys.
public enum ModelFile {
    /// The format version this build writes and reads.
    public static let formatVersion = "1"

    /// The file's bytes: deterministic, so the same weights always give the same file.
    public static func serialized(_ model: Sequential, metadata: ModelMetadata) -> Data {
        let encoder = JSONCoding.encoder(.compact, keys: .declared)
        func json<T: Encodable>(_ v: T) -> String { String(decoding: try! encoder.encode(v), as: UTF8.self) }
        var entries: [SafeTensors.Entry] = []
        for layer in model.layers {
            for p in layer.parameters + layer.buffers {
                if let conv = layer as? Conv2D, p === conv.weight {
                    entries.append(
                        .init(
                            name: p.name, shape: [conv.filters, conv.inChannels, conv.kernelSize, conv.kernelSize],
                            values: conv.pytorchWeight()))
                } else {
                    entries.append(.init(name: p.name, shape: p.value.shape, values: p.value.array))
                }
            }
        }
        let meta = [
            "format": "quorum-model",
            "quorum.version": formatVersion,
            "quorum.spec": json(metadata.spec),
            "quorum.normalization": json(["mean": metadata.normalizationMean, "std": metadata.normalizationStd]),
            "quorum.class_names": json(metadata.classNames),
            "quorum.training": metadata.training
        ]
        return SafeTensors(metadata: meta, entries: entries).serialized()
    }

    /// Writes the model atomically.
    public static func save(_ model: Sequential, metadata: ModelMetadata, to path: String) throws {
        try serialized(model, metadata: metadata).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// Reads a model file written by `save` (or by anyone following docs/formats.md).
    public static func load(path: String) throws -> (model: Sequential, metadata: ModelMetadata) {
        try load(SafeTensors.read(path: path), path: path)
    }

    /// Reads a model from bytes in memory; `path` names the source in errors.
    public static func load(data: Data, path: String) throws -> (model: Sequential, metadata: ModelMetadata) {
        try load(SafeTensors.parse(data, path: path), path: path)
    }

    private static func load(_ file: SafeTensors, path: String) throws -> (model: Sequential, metadata: ModelMetadata) {
        // The spec is checked against ModelLimits when decoded, so building the model allocates a bounded amount.
        let metadata = try readMetadata(file.metadata, path: path)
        try checkTensors(file, against: metadata.spec, path: path)
        let model = try Sequential(spec: metadata.spec, seed: 0)
        // Every tensor is matched to its parameter, by name and shape, before any value is copied.
        var assignments: [(layer: Layer, parameter: Parameter, entry: SafeTensors.Entry)] = []
        var unused = Set(file.entries.map(\.name))
        for layer in model.layers {
            for p in layer.parameters + layer.buffers {
                guard let entry = file[p.name] else { throw ModelFileError.missingTensor(path: path, name: p.name) }
                unused.remove(p.name)
                let expected: [Int]
                if let conv = layer as? Conv2D, p === conv.weight {
                    expected = [conv.filters, conv.inChannels, conv.kernelSize, conv.kernelSize]
                } else {
                    expected = p.value.shape
                }
                guard entry.shape == expected, entry.values.count == p.value.count else {
                    throw ModelFileError.wrongShape(path: path, name: p.name, expected: expected, found: entry.shape)
                }
                assignments.append((layer, p, entry))
            }
        }
        if let extra = unused.sorted().first { throw ModelFileError.unexpectedTensor(path: path, name: extra) }
        for (layer, p, entry) in assignments {
            if let conv = layer as? Conv2D, p === conv.weight {
                conv.setPytorchWeight(entry.values)
            } else {
                entry.values.withUnsafeBufferPointer { values in
                    if let base = values.baseAddress { p.value.data.update(from: base, count: values.count) }
                }
            }
        }
        return (model, metadata)
    }

    /// Checks that the file holds exactly the tensors `spec` needs, by name and shape, before the model is
    /// built: a small file cannot make the reader allocate a large model it does not hold the weights of.
    private static func checkTensors(_ file: SafeTensors, against spec: ModelSpec, path: String) throws {
        var shape = spec.inputShape
        var expected: [(name: String, shape: [Int])] = []
        for (index, layer) in spec.layerSpecs.enumerated() {
            expected += layer.storedTensors(for: shape).map { ("layers.\(index).\($0.name)", $0.shape) }
            shape = try layer.outputShape(for: shape)
        }
        let found = Dictionary(file.entries.map { ($0.name, $0.shape) }, uniquingKeysWith: { first, _ in first })
        let names = Set(expected.map(\.name))
        for (name, needed) in expected {
            guard let actual = found[name] else { throw ModelFileError.missingTensor(path: path, name: name) }
            guard actual == needed else {
                throw ModelFileError.wrongShape(path: path, name: name, expected: needed, found: actual)
            }
        }
        if let extra = found.keys.filter({ !names.contains($0) }).sorted().first {
            throw ModelFileError.unexpectedTensor(path: path, name: extra)
        }
    }

    private static func readMetadata(_ meta: [String: String], path: String) throws -> ModelMetadata {
        func value(_ key: String) throws -> String {
            guard let v = meta[key] else { throw ModelFileError.missingMetadata(path: path, key: key) }
            return v
        }
        func decode<T: Decodable>(_ type: T.Type, _ key: String) throws -> T {
            do {
                return try JSONCoding.decoder(keys: .declared).decode(T.self, from: Data(try value(key).utf8))
            } catch let e as ModelFileError {
                throw e
            } catch {
                throw ModelFileError.badMetadata(path: path, key: key, reason: "\(error)")
            }
        }
        let version = try value("quorum.version")
        guard version == formatVersion else { throw ModelFileError.unsupportedVersion(path: path, version: version) }
        let spec = try decode(ModelSpec.self, "quorum.spec")
        do { _ = try ModelSpec(parsing: spec.layers, inputShape: spec.inputShape, classes: spec.classes) } catch {
            throw ModelFileError.badMetadata(path: path, key: "quorum.spec", reason: "\(error)")
        }
        let norm = try decode([String: [Float]].self, "quorum.normalization")
        guard let mean = norm["mean"], let std = norm["std"], mean.count == std.count,
            mean.count == spec.inputShape.last, std.allSatisfy({ $0 > 0 })
        else {
            throw ModelFileError.badMetadata(
                path: path, key: "quorum.normalization",
                reason: "needs 'mean' and 'std' with one positive std per input channel")
        }
        let classes = try decode([String].self, "quorum.class_names")
        guard classes.count == spec.classes else {
            throw ModelFileError.badMetadata(
                path: path, key: "quorum.class_names",
                reason: "\(classes.count) names for \(spec.classes) classes")
        }
        return ModelMetadata(
            spec: spec, normalizationMean: mean, normalizationStd: std, classNames: classes,
            training: meta["quorum.training"] ?? "")
    }
}
