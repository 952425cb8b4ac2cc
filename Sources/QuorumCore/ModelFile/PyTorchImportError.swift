/// Why a PyTorch weights file does not fit the Quorum network it was meant for.
public enum PyTorchImportError: Error, CustomStringConvertible {
    case unreadable(path: String, reason: String)
    case badFile(path: String, reason: String)
    case unknownName(path: String, name: String)
    case prefixes(path: String, found: [String])
    case layerCount(path: String, file: Int, model: Int, spec: String)
    case missing(path: String, name: String, layer: String)
    case wrongShape(path: String, name: String, layer: String, expected: [Int], found: [Int])
    case unsupportedLayer(path: String, layer: String)

    public var description: String {
        switch self {
        case let .unreadable(p, r): return "\(p): cannot read the PyTorch weights: \(r)"
        case let .badFile(p, r): return "\(p): not a safetensors file: \(r)"
        case let .unknownName(p, n):
            return
                "\(p): tensor '\(n)' is not named PREFIX.INDEX.{weight,bias,running_mean,running_var} as an nn.Sequential's are"
        case let .prefixes(p, f):
            return
                "\(p): expected the tensors of one nn.Sequential, found the prefixes \(f.map { "'\($0)'" }.joined(separator: ", "))"
        case let .layerCount(p, f, m, s):
            return "\(p): \(f) modules hold tensors but the model '\(s)' has \(m) layers with parameters"
        case let .missing(p, n, l): return "\(p): tensor '\(n)' for layer \(l) is missing"
        case let .wrongShape(p, n, l, e, f): return "\(p): tensor '\(n)' has shape \(f); layer \(l) needs \(e)"
        case let .unsupportedLayer(p, l): return "\(p): layer '\(l)' has parameters the importer does not know"
        }
    }
}
