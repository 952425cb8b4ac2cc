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
        case "cnn-a":
            layerText =
                "conv3x3(32) relu maxpool2 conv3x3(64) relu maxpool2 flatten dense(128) relu dropout(0.25) dense(\(classes))"
        case "cnn-b":
            layerText =
                "conv3x3(32) batchnorm relu maxpool2 conv3x3(64) batchnorm relu maxpool2 flatten dense(128) relu dropout(0.25) dense(\(classes))"
        case "cnn-c":
            layerText =
                "conv3x3(32) batchnorm relu maxpool2 conv3x3(64) batchnorm relu maxpool2 "
                + "conv3x3(128) batchnorm relu flatten dense(128) relu dense(\(classes))"
        default: layerText = trimmed
        }
        _ = try ModelLimits.checkInputShape(inputShape)
        try ModelLimits.checkClasses(classes)
        guard layerText.count <= ModelLimits.textLength else {
            throw ModelSpecError.overLimit(
                what: "length of the layer text", value: layerText.count,
                limit: ModelLimits.textLength)
        }
        let tokens = try ModelSpec.tokens(layerText).map { try LayerSpec(parsing: $0) }
        guard !tokens.isEmpty else { throw ModelSpecError.empty }
        name = ModelSpec.presetNames.contains(trimmed.lowercased()) ? trimmed.lowercased() : "custom"
        layers = tokens.map(\.text).joined(separator: " ")
        self.inputShape = inputShape
        self.classes = classes
        try ModelLimits.check(self)
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

extension ModelSpec {
    private enum CodingKeys: String, CodingKey {
        case name, layers, inputShape, classes
    }

    /// Decodes a spec and checks it against `ModelLimits`, so a spec from a file or a peer is refused
    /// before any model is built from it.
    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        layers = try container.decode(String.self, forKey: .layers)
        inputShape = try container.decode([Int].self, forKey: .inputShape)
        classes = try container.decode(Int.self, forKey: .classes)
        guard name.count <= 64 else {
            throw ModelSpecError.overLimit(what: "length of the name", value: name.count, limit: 64)
        }
        try ModelLimits.check(self)
    }
}

import Foundation
