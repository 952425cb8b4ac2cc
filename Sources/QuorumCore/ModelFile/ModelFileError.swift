/// Why a model file does not describe a usable Quorum model.
public enum ModelFileError: Error, CustomStringConvertible {
    case missingMetadata(path: String, key: String)
    case badMetadata(path: String, key: String, reason: String)
    case unsupportedVersion(path: String, version: String)
    case missingTensor(path: String, name: String)
    case wrongShape(path: String, name: String, expected: [Int], found: [Int])
    case unexpectedTensor(path: String, name: String)

    public var description: String {
        switch self {
        case let .missingMetadata(p, k): return "\(p): not a Quorum model file: metadata '\(k)' is missing"
        case let .badMetadata(p, k, r): return "\(p): metadata '\(k)' is invalid: \(r)"
        case let .unsupportedVersion(p, v):
            return
                "\(p): model file format version \(v) is not supported (this build reads version \(ModelFile.formatVersion))"
        case let .missingTensor(p, n): return "\(p): tensor '\(n)' is missing"
        case let .wrongShape(p, n, e, f): return "\(p): tensor '\(n)' has shape \(f), the model needs \(e)"
        case let .unexpectedTensor(p, n): return "\(p): tensor '\(n)' belongs to no layer of the model"
        }
    }
}
