import Foundation

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
        func int(_ s: String?, _ what: String, limit: Int) throws -> Int {
            guard let s, let v = Int(s), v > 0 else { throw ModelSpecError.badArgument(token: token, what: what) }
            guard v <= limit else {
                throw ModelSpecError.overLimit(what: "\(what) in '\(token)'", value: v, limit: limit)
            }
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
            guard k <= ModelLimits.window else {
                throw ModelSpecError.overLimit(what: "kernel size in '\(token)'", value: k, limit: ModelLimits.window)
            }
            let filters = try int(positional(0), "number of filters", limit: ModelLimits.layerWidth)
            let stride = try args.named["stride"].map { try int($0, "stride", limit: ModelLimits.window) } ?? 1
            let pad: Int
            if let p = args.named["pad"] ?? args.named["padding"] {
                guard let v = Int(p), v >= 0 else { throw ModelSpecError.badArgument(token: token, what: "padding") }
                guard v <= ModelLimits.window else {
                    throw ModelSpecError.overLimit(what: "padding in '\(token)'", value: v, limit: ModelLimits.window)
                }
                pad = v
            } else {
                pad = k / 2
            }
            self = .conv(kernel: k, filters: filters, stride: stride, padding: pad)
            return
        }
        for (prefix, isMax) in [("maxpool", true), ("avgpool", false)] where head.hasPrefix(prefix) {
            let sizeText = head.dropFirst(prefix.count)
            let size = try int(
                sizeText.isEmpty ? positional(0) : String(sizeText), "pool size",
                limit: ModelLimits.window)
            let stride = try args.named["stride"].map { try int($0, "stride", limit: ModelLimits.window) } ?? size
            self = isMax ? .maxPool(size: size, stride: stride) : .avgPool(size: size, stride: stride)
            return
        }
        switch head {
        case "dense", "linear":
            self = .dense(units: try int(positional(0), "number of units", limit: ModelLimits.layerWidth))
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

extension LayerSpec {
    /// One sample's output shape for one sample's input shape, or an error saying why it does not fit.
    ///
    /// Every size is computed with overflow checks and the output is held to `ModelLimits.activationElements`.
    public func outputShape(for input: [Int]) throws -> [Int] {
        func image() throws -> (Int, Int, Int) {
            guard input.count == 3 else {
                throw ModelSpecError.shape(
                    token: text, input: input,
                    reason: "it needs an image (H, W, C); put it before flatten")
            }
            return (input[0], input[1], input[2])
        }
        func pooled(_ n: Int, _ k: Int, _ s: Int, _ p: Int) throws -> Int {
            // n, k, s and p are bounded by the input shape and window limits, so n + 2p cannot overflow.
            guard s > 0, n + 2 * p >= k, (n + 2 * p - k) / s + 1 > 0 else {
                throw ModelSpecError.shape(token: text, input: input, reason: "the window is larger than the image")
            }
            return (n + 2 * p - k) / s + 1
        }
        let output: [Int]
        switch self {
        case let .conv(k, f, s, p):
            let (h, w, _) = try image()
            output = [try pooled(h, k, s, p), try pooled(w, k, s, p), f]
        case let .maxPool(k, s), let .avgPool(k, s):
            let (h, w, c) = try image()
            output = [try pooled(h, k, s, 0), try pooled(w, k, s, 0), c]
        case .globalAvgPool:
            let (_, _, c) = try image()
            output = [c]
        case .flatten:
            output = [ModelLimits.product(input) ?? Int.max]
        case let .dense(u):
            guard input.count == 1 else {
                throw ModelSpecError.shape(
                    token: text, input: input,
                    reason: "dense takes flat features; put flatten or gap before it")
            }
            output = [u]
        case .relu, .leakyReLU, .elu, .batchNorm, .dropout:
            output = input
        }
        guard let count = ModelLimits.product(output), count <= ModelLimits.activationElements else {
            throw ModelSpecError.overLimit(
                what: "output size of '\(text)' for input \(input)",
                value: ModelLimits.product(output) ?? Int.max,
                limit: ModelLimits.activationElements)
        }
        return output
    }

    /// The tensors a model file stores for this layer on a one-sample input shape already accepted by
    /// `outputShape(for:)`, by name and in PyTorch's layout (convolution weights OIHW, dense `[out, in]`).
    public func storedTensors(for input: [Int]) -> [(name: String, shape: [Int])] {
        let channels = input.last ?? 0
        switch self {
        case let .conv(k, f, _, _): return [("weight", [f, channels, k, k]), ("bias", [f])]
        case let .dense(u): return [("weight", [u, channels]), ("bias", [u])]
        case .batchNorm:
            return ["weight", "bias", "running_mean", "running_var"].map { ($0, [channels]) }
        case .relu, .leakyReLU, .elu, .maxPool, .avgPool, .globalAvgPool, .dropout, .flatten:
            return []
        }
    }

    /// The number of values this layer stores (weights, biases, statistics) on a one-sample input shape
    /// already accepted by `outputShape(for:)`, computed with overflow checks.
    public func parameterCount(for input: [Int]) throws -> Int {
        let channels = input.last ?? 0
        let count: Int?
        switch self {
        case let .conv(k, f, _, _):
            count = ModelLimits.product([k, k, channels, f]).flatMap { ModelLimits.sum([$0, f]) }
        case let .dense(u):
            count = ModelLimits.product([channels, u]).flatMap { ModelLimits.sum([$0, u]) }
        case .batchNorm:
            count = ModelLimits.product([4, channels])
        case .relu, .leakyReLU, .elu, .maxPool, .avgPool, .globalAvgPool, .dropout, .flatten:
            count = 0
        }
        guard let count, count <= ModelLimits.parameters else {
            throw ModelSpecError.overLimit(
                what: "number of parameters of '\(text)' for input \(input)",
                value: count ?? Int.max, limit: ModelLimits.parameters)
        }
        return count
    }
}
