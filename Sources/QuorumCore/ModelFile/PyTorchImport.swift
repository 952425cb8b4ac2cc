import Foundation

/// Reads the weights of a PyTorch network saved as safetensors (`safetensors.torch.save_file(net.state_dict(), f)`)
/// into a Quorum network of the same architecture (`mlp`, `cnn-a`, `cnn-b` or any layer list).
///
/// Names: an `nn.Sequential` names its tensors `PREFIX.INDEX.KIND` (PREFIX may be empty, `net`, `layers`, …;
/// KIND is `weight`, `bias`, `running_mean` or `running_var`; `num_batches_tracked` is ignored). The indices
/// that hold tensors are taken in numeric order and matched one to one with the Quorum layers that have
/// parameters, so functional ReLUs or a different module numbering do not matter.
/// Layouts are PyTorch's and need no change from the user: convolution weights OIHW, dense weights
/// `[out, in]`, and the dense layer after `nn.Flatten` reads NCHW features in C, H, W order, as Quorum's
/// `Flatten` writes them. F32, F64, F16 and BF16 tensors are read, converted to Float.
public enum PyTorchImport {
    /// A tensor read from the file, as Float values.
    public struct Entry: Equatable {
        /// The dimensions as PyTorch gives them.
        public var shape: [Int]
        /// The values in PyTorch's (row-major) order.
        public var values: [Float]
    }

    /// Builds `spec` and fills it from the PyTorch file at `path`.
    public static func load(path: String, spec: ModelSpec) throws -> Sequential {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw PyTorchImportError.unreadable(path: path, reason: (error as NSError).localizedDescription)
        }
        return try load(data: data, path: path, spec: spec)
    }

    /// Builds `spec` and fills it from PyTorch safetensors bytes; `path` names the source in errors.
    public static func load(data: Data, path: String, spec: ModelSpec) throws -> Sequential {
        let tensors = try readTensors(data, path: path)
        var groups: [String: [Int: [String: Entry]]] = [:]
        for (name, tensor) in tensors {
            let parts = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard let kind = parts.last else { continue }
            if kind == "num_batches_tracked" { continue }
            guard parts.count >= 2, let index = Int(parts[parts.count - 2]),
                ["weight", "bias", "running_mean", "running_var"].contains(kind)
            else {
                throw PyTorchImportError.unknownName(path: path, name: name)
            }
            let prefix = parts.dropLast(2).joined(separator: ".")
            groups[prefix, default: [:]][index, default: [:]][kind] = tensor
        }
        guard groups.count == 1, let modules = groups.first?.value else {
            throw PyTorchImportError.prefixes(path: path, found: groups.keys.sorted())
        }
        let model = try Sequential(spec: spec, seed: 0)
        let targets = model.layers.enumerated().filter { !$0.element.parameters.isEmpty }
        let sources = modules.keys.sorted()
        guard sources.count == targets.count else {
            throw PyTorchImportError.layerCount(
                path: path, file: sources.count, model: targets.count, spec: spec.layers)
        }
        let prefix = groups.first!.key.isEmpty ? "" : groups.first!.key + "."
        for (source, (index, layer)) in zip(sources, targets) {
            let found = modules[source]!
            func take(_ kind: String, _ shape: [Int], optional: Bool = false) throws -> [Float]? {
                guard let t = found[kind] else {
                    if optional { return nil }
                    throw PyTorchImportError.missing(
                        path: path, name: "\(prefix)\(source).\(kind)", layer: "\(index) \(layer.spec)")
                }
                guard t.shape == shape else {
                    throw PyTorchImportError.wrongShape(
                        path: path, name: "\(prefix)\(source).\(kind)", layer: "\(index) \(layer.spec)",
                        expected: shape, found: t.shape)
                }
                return t.values
            }
            switch layer {
            case let conv as Conv2D:
                conv.setPytorchWeight(
                    try take("weight", [conv.filters, conv.inChannels, conv.kernelSize, conv.kernelSize])!)
                set(conv.bias, try take("bias", [conv.filters], optional: true))
            case let dense as Dense:
                set(dense.weight, try take("weight", [dense.outFeatures, dense.inFeatures]))
                set(dense.bias, try take("bias", [dense.outFeatures], optional: true))
            case let norm as BatchNorm2D:
                let c = [norm.weight.count]
                set(norm.weight, try take("weight", c))
                set(norm.bias, try take("bias", c))
                set(norm.runningMean, try take("running_mean", c))
                set(norm.runningVar, try take("running_var", c))
            default:
                throw PyTorchImportError.unsupportedLayer(path: path, layer: layer.spec)
            }
        }
        return model
    }

    /// Every tensor of a safetensors file, converted to Float. Unlike `SafeTensors`, which reads only the
    /// F32 files Quorum writes, this accepts the other float types and integer counters PyTorch saves.
    public static func readTensors(_ data: Data, path: String) throws -> [String: Entry] {
        // Integer dtypes are accepted by the header so that `num_batches_tracked` counters can be skipped.
        let widths = [
            "F32": 4, "F64": 8, "F16": 2, "BF16": 2, "I64": 8, "I32": 4, "I16": 2, "I8": 1, "U8": 1,
            "BOOL": 1
        ]
        let header: SafeTensorsHeader
        do {
            header = try SafeTensorsHeader(parsing: data, path: path, widths: widths)
        } catch let error as SafeTensorsError {
            throw PyTorchImportError.badFile(path: path, reason: error.reason)
        }
        let bytes = [UInt8](data)
        var out: [String: Entry] = [:]
        for tensor in header.tensors {
            if tensor.name.hasSuffix("num_batches_tracked") { continue }
            guard ["F32", "F64", "F16", "BF16"].contains(tensor.dtype) else {
                throw PyTorchImportError.badFile(
                    path: path, reason: "tensor '\(tensor.name)' has dtype \(tensor.dtype); expected a float type")
            }
            let width = widths[tensor.dtype]!
            let start = tensor.bytes.lowerBound - data.startIndex
            var values = [Float](repeating: 0, count: tensor.count)
            for i in 0..<tensor.count {
                var bits: UInt64 = 0
                for b in 0..<width { bits |= UInt64(bytes[start + i * width + b]) << (8 * UInt64(b)) }
                switch tensor.dtype {
                case "F32": values[i] = Float(bitPattern: UInt32(bits))
                case "F64": values[i] = Float(Double(bitPattern: bits))
                case "BF16": values[i] = Float(bitPattern: UInt32(bits) << 16)
                default: values[i] = halfToFloat(UInt16(bits))
                }
            }
            out[tensor.name] = Entry(shape: tensor.shape, values: values)
        }
        return out
    }

    private static func set(_ p: Parameter, _ values: [Float]?) {
        guard let values else { p.value.zero(); return }
        values.withUnsafeBufferPointer { p.value.data.update(from: $0.baseAddress!, count: $0.count) }
    }

    /// IEEE 754 half precision to Float, done by hand because `Float16` is not available on every platform.
    private static func halfToFloat(_ h: UInt16) -> Float {
        let sign: Float = h & 0x8000 != 0 ? -1 : 1
        let exponent = Int((h >> 10) & 0x1f), fraction = Float(h & 0x3ff)
        switch exponent {
        case 0: return sign * fraction * Float(pow(2.0, -24.0))
        case 31: return fraction == 0 ? sign * .infinity : .nan
        default: return sign * (1 + fraction / 1024) * Float(pow(2.0, Double(exponent - 15)))
        }
    }
}
