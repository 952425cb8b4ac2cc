/// One token of a model's text form, e.g. `conv3x3(32)`, `maxpool2`, `dropout(0.25)`, parsed.
public enum LayerSpec: Equatable, Sendable {
    case conv(kernel: Int, filters: Int, stride: Int, padding: Int)
    case dense(units: Int)
    case relu
    case leakyReLU(slope: Float)
    case elu(alpha: Float)
    case maxPool(size: Int, stride: Int)
    case avgPool(size: Int, stride: Int)
    case globalAvgPool
    case batchNorm
    case dropout(rate: Float)
    case flatten

    /// Parses one token. The forms are listed in `ModelSpec`'s documentation.
    public init(parsing token: String) throws {
        let (head, args) = try LayerSpec.split(token)
        func positional(_ i: Int) -> String? { i < args.positional.count ? args.positional[i] : nil }
        func int(_ s: String?, _ what: String) throws -> Int {
            guard let s, let v = Int(s), v > 0 else { throw ModelSpecError.badArgument(token: token, what: what) }
            return v
        }
        func float(_ s: String?, _ what: String, default d: Float) throws -> Float {
            guard let s else { return d }
            guard let v = Float(s), v.isFinite else { throw ModelSpecError.badArgument(token: token, what: what) }
            return v
        }
        if head.hasPrefix("conv") {
            // convKxK(filters[,stride=S][,pad=P]); padding defaults to "same" for odd kernels.
            let dims = head.dropFirst(4).split(separator: "x").map(String.init)
            guard dims.count == 2, let k = Int(dims[0]), k > 0, dims[0] == dims[1] else {
                throw ModelSpecError.unknownLayer(token)
            }
            let filters = try int(positional(0), "number of filters")
            let stride = try args.named["stride"].map { try int($0, "stride") } ?? 1
            let pad: Int
            if let p = args.named["pad"] ?? args.named["padding"] {
                guard let v = Int(p), v >= 0 else { throw ModelSpecError.badArgument(token: token, what: "padding") }
                pad = v
            } else {
                pad = k / 2
            }
            self = .conv(kernel: k, filters: filters, stride: stride, padding: pad)
            return
        }
        for (prefix, isMax) in [("maxpool", true), ("avgpool", false)] where head.hasPrefix(prefix) {
            let sizeText = head.dropFirst(prefix.count)
            let size = try int(sizeText.isEmpty ? positional(0) : String(sizeText), "pool size")
            let stride = try args.named["stride"].map { try int($0, "stride") } ?? size
            self = isMax ? .maxPool(size: size, stride: stride) : .avgPool(size: size, stride: stride)
            return
        }
        switch head {
        case "dense", "linear": self = .dense(units: try int(positional(0), "number of units"))
        case "relu": self = .relu
        case "leakyrelu": self = .leakyReLU(slope: try float(positional(0), "slope", default: 0.01))
        case "elu": self = .elu(alpha: try float(positional(0), "alpha", default: 1))
        case "gap", "globalavgpool": self = .globalAvgPool
        case "batchnorm", "bn": self = .batchNorm
        case "flatten": self = .flatten
        case "dropout":
            let rate = try float(positional(0), "rate", default: 0.5)
            guard rate >= 0, rate < 1 else { throw ModelSpecError.badArgument(token: token, what: "rate in [0, 1)") }
            self = .dropout(rate: rate)
        default: throw ModelSpecError.unknownLayer(token)
        }
    }

    /// The canonical text of this token.
    public var text: String {
        switch self {
        case let .conv(k, f, s, p):
            var extra = ""
            if s != 1 { extra += ",stride=\(s)" }
            if p != k / 2 { extra += ",pad=\(p)" }
            return "conv\(k)x\(k)(\(f)\(extra))"
        case let .dense(u): return "dense(\(u))"
        case .relu: return "relu"
        case let .leakyReLU(s): return "leakyrelu(\(s))"
        case let .elu(a): return "elu(\(a))"
        case let .maxPool(size, stride): return stride == size ? "maxpool\(size)" : "maxpool\(size)(stride=\(stride))"
        case let .avgPool(size, stride): return stride == size ? "avgpool\(size)" : "avgpool\(size)(stride=\(stride))"
        case .globalAvgPool: return "gap"
        case .batchNorm: return "batchnorm"
        case let .dropout(r): return "dropout(\(r))"
        case .flatten: return "flatten"
        }
    }

    private struct Arguments {
        var positional: [String] = []
        var named: [String: String] = [:]
    }

    private static func split(_ token: String) throws -> (String, Arguments) {
        var args = Arguments()
        guard let open = token.firstIndex(of: "(") else { return (token.lowercased(), args) }
        guard token.hasSuffix(")") else { throw ModelSpecError.unknownLayer(token) }
        let head = token[..<open].lowercased()
        let inner = token[token.index(after: open)..<token.index(before: token.endIndex)]
        for part in inner.split(separator: ",", omittingEmptySubsequences: false) {
            let item = part.trimmingCharacters(in: .whitespaces)
            guard !item.isEmpty else { throw ModelSpecError.badArgument(token: token, what: "empty argument") }
            if let eq = item.firstIndex(of: "=") {
                args.named[item[..<eq].lowercased()] = String(item[item.index(after: eq)...])
            } else {
                args.positional.append(item)
            }
        }
        return (head, args)
    }
}

import Foundation
