/// What network to build: the layers in text form, the input shape and the number of classes.
///
/// The text form is a space-separated list of layers:
/// `convKxK(F[,stride=S][,pad=P])` (padding defaults to K/2, "same"), `dense(N)`, `relu`, `leakyrelu(s)`,
/// `elu(a)`, `maxpoolK`, `avgpoolK` (stride defaults to K; `maxpool2(stride=1)`), `gap` (global average pool),
/// `batchnorm`, `dropout(p)`, `flatten`. Presets (as the reference nets):
/// - `mlp`: `flatten dense(256) relu dense(128) relu dense(C)`
/// - `cnn-a`: `conv3x3(32) relu maxpool2 conv3x3(64) relu maxpool2 flatten dense(128) relu dropout(0.25) dense(C)`
/// - `cnn-b`: cnn-a with `batchnorm` after each convolution, before its ReLU.
/// - `cnn-c`: `conv3x3(32) batchnorm relu maxpool2 conv3x3(64) batchnorm relu maxpool2 conv3x3(128) batchnorm relu
///   flatten dense(128) relu dense(C)`: a third convolution at 7×7, where it is cheap (about 2× cnn-a's FLOPs).
/// It travels in model files and over the wire as JSON.
public struct ModelSpec: Codable, Equatable, Sendable {
    /// The preset name, or `custom`.
    public var name: String
    /// The canonical text of the layers.
    public var layers: String
    /// One sample's input shape, `[H, W, C]`.
    public var inputShape: [Int]
    /// The number of classes the last layer scores.
    public var classes: Int

    /// The names `init(parsing:)` accepts besides a layer list.
    public static let presetNames = ["mlp", "cnn-a", "cnn-b", "cnn-c"]

    /// Parses a preset name or a layer list, and checks every shape along the way.
    public init(parsing text: String, inputShape: [Int], classes: Int) throws {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let layerText: String
        switch trimmed.lowercased() {
        case "mlp": layerText = "flatten dense(256) relu dense(128) relu dense(\(classes))"
        case "cnn-a": layerText = "conv3x3(32) relu maxpool2 conv3x3(64) relu maxpool2 flatten dense(128) relu dropout(0.25) dense(\(classes))"
        case "cnn-b": layerText = "conv3x3(32) batchnorm relu maxpool2 conv3x3(64) batchnorm relu maxpool2 flatten dense(128) relu dropout(0.25) dense(\(classes))"
        case "cnn-c":
            layerText = "conv3x3(32) batchnorm relu maxpool2 conv3x3(64) batchnorm relu maxpool2 "
                + "conv3x3(128) batchnorm relu flatten dense(128) relu dense(\(classes))"
        default: layerText = trimmed
        }
        let tokens = try ModelSpec.tokens(layerText).map { try LayerSpec(parsing: $0) }
        guard !tokens.isEmpty else { throw ModelSpecError.empty }
        name = ModelSpec.presetNames.contains(trimmed.lowercased()) ? trimmed.lowercased() : "custom"
        layers = tokens.map(\.text).joined(separator: " ")
        self.inputShape = inputShape
        self.classes = classes
        let out = try outputShape()
        guard out == [classes] else { throw ModelSpecError.outputMismatch(produced: out, classes: classes) }
    }

    /// The parsed layers.
    public var layerSpecs: [LayerSpec] {
        // `layers` is canonical text written by `init(parsing:)`, so it always parses again.
        (try? ModelSpec.tokens(layers).map { try LayerSpec(parsing: $0) }) ?? []
    }

    /// The last layer's output shape for one sample.
    public func outputShape() throws -> [Int] {
        try outputShapesPerLayer().last ?? inputShape
    }

    /// Each layer's output shape for one sample.
    public func outputShapesPerLayer() throws -> [[Int]] {
        var shape = inputShape
        var shapes: [[Int]] = []
        for spec in layerSpecs {
            shape = try spec.outputShape(for: shape)
            shapes.append(shape)
        }
        return shapes
    }

    /// Splits on white space outside parentheses, so `conv3x3(32, stride=2)` stays one token.
    static func tokens(_ text: String) throws -> [String] {
        var tokens: [String] = []
        var current = ""
        var depth = 0
        for ch in text {
            if ch == "(" { depth += 1 }
            if ch == ")" { depth -= 1 }
            if depth < 0 { throw ModelSpecError.unknownLayer(current + ")") }
            if ch.isWhitespace && depth == 0 {
                if !current.isEmpty { tokens.append(current); current = "" }
            } else if !ch.isWhitespace {
                current.append(ch)
            }
        }
        guard depth == 0 else { throw ModelSpecError.unknownLayer(current) }
        if !current.isEmpty { tokens.append(current) }
        return tokens
    }
}

extension LayerSpec {
    /// One sample's output shape for one sample's input shape, or an error saying why it does not fit.
    public func outputShape(for input: [Int]) throws -> [Int] {
        func image() throws -> (Int, Int, Int) {
            guard input.count == 3 else {
                throw ModelSpecError.shape(token: text, input: input, reason: "it needs an image (H, W, C); put it before flatten")
            }
            return (input[0], input[1], input[2])
        }
        func pooled(_ n: Int, _ k: Int, _ s: Int, _ p: Int) throws -> Int {
            let out = (n + 2 * p - k) / s + 1
            guard n + 2 * p >= k, out > 0 else {
                throw ModelSpecError.shape(token: text, input: input, reason: "the window is larger than the image")
            }
            return out
        }
        switch self {
        case let .conv(k, f, s, p):
            let (h, w, _) = try image()
            return [try pooled(h, k, s, p), try pooled(w, k, s, p), f]
        case let .maxPool(k, s), let .avgPool(k, s):
            let (h, w, c) = try image()
            return [try pooled(h, k, s, 0), try pooled(w, k, s, 0), c]
        case .globalAvgPool:
            let (_, _, c) = try image()
            return [c]
        case .flatten:
            return [input.reduce(1, *)]
        case let .dense(u):
            guard input.count == 1 else {
                throw ModelSpecError.shape(token: text, input: input, reason: "dense takes flat features; put flatten or gap before it")
            }
            return [u]
        case .relu, .leakyReLU, .elu, .batchNorm, .dropout:
            return input
        }
    }
}

import Foundation
