/// The largest model a spec may describe, one limit per kind of size.
///
/// Specs arrive from the network (a JOB, a RESULT's model file) as well as from the command line, and the
/// model they describe is allocated as soon as it is built. Every size is checked against these limits,
/// and every product of sizes is computed with overflow checks, before any buffer exists: a spec such as
/// `dense(1000000000)` or an input shape of `[2^62, 1, 1]` is refused with a message, not an abort.
public enum ModelLimits {
    /// Height or width of an input image, in pixels.
    public static let imageSide = 8192
    /// Channels of an input image.
    public static let inputChannels = 4096
    /// Values in one sample's input (H × W × C): 16 Mi floats, 64 MiB.
    public static let inputElements = 1 << 24
    /// Classes a model scores.
    public static let classes = 65536
    /// Units of a dense layer or filters of a convolution.
    public static let layerWidth = 65536
    /// Kernel or pooling window side, stride and padding, in pixels.
    public static let window = 1024
    /// Values one layer outputs for one sample: 16 Mi floats, 64 MiB.
    public static let activationElements = 1 << 24
    /// Learnable values of the whole model: 128 Mi floats, 512 MiB (more again for gradients and moments).
    public static let parameters = 1 << 27
    /// Layers in one spec.
    public static let layers = 512
    /// Characters of a spec's layer text.
    public static let textLength = 65536

    /// The product of `factors`, or nil when it overflows `Int` or a factor is negative.
    public static func product<S: Sequence>(_ factors: S) -> Int? where S.Element == Int {
        var result = 1
        for factor in factors {
            guard factor >= 0 else { return nil }
            let (value, overflow) = result.multipliedReportingOverflow(by: factor)
            if overflow { return nil }
            result = value
        }
        return result
    }

    /// The sum of `terms`, or nil when it overflows `Int`.
    public static func sum<S: Sequence>(_ terms: S) -> Int? where S.Element == Int {
        var result = 0
        for term in terms {
            let (value, overflow) = result.addingReportingOverflow(term)
            if overflow { return nil }
            result = value
        }
        return result
    }

    /// Checks an input shape `[H, W, C]` and returns its element count.
    public static func checkInputShape(_ shape: [Int]) throws -> Int {
        guard shape.count == 3 else {
            throw ModelSpecError.inputShape(shape, reason: "it must have three sizes, [H, W, C]")
        }
        for (size, name, limit) in [
            (shape[0], "height", imageSide), (shape[1], "width", imageSide),
            (shape[2], "channels", inputChannels)
        ] where size < 1 || size > limit {
            throw ModelSpecError.inputShape(shape, reason: "\(name) \(size) is outside 1...\(limit)")
        }
        guard let count = product(shape), count <= inputElements else {
            throw ModelSpecError.inputShape(shape, reason: "more than \(inputElements) values per sample")
        }
        return count
    }

    /// Checks a class count.
    public static func checkClasses(_ count: Int) throws {
        guard count >= 1, count <= classes else {
            throw ModelSpecError.overLimit(what: "number of classes", value: count, limit: classes)
        }
    }

    /// What a spec that passed `check` costs.
    public struct Size: Equatable, Sendable {
        /// Learnable values and buffers (BatchNorm's running statistics included): the values a model file holds.
        public let parameters: Int
        /// The largest number of values one sample has at the input or at any layer's output.
        public let largestActivation: Int
    }

    /// Checks a whole spec: its text, input shape, classes, each layer's arguments, and the size of every
    /// layer's output and of all parameters together, and returns those sizes. Nothing is allocated.
    @discardableResult
    public static func check(_ spec: ModelSpec) throws -> Size {
        guard spec.layers.count <= textLength else {
            throw ModelSpecError.overLimit(
                what: "length of the layer text", value: spec.layers.count,
                limit: textLength)
        }
        var largest = try checkInputShape(spec.inputShape)
        try checkClasses(spec.classes)
        let tokens = try ModelSpec.tokens(spec.layers)
        guard !tokens.isEmpty else { throw ModelSpecError.empty }
        guard tokens.count <= layers else {
            throw ModelSpecError.overLimit(what: "number of layers", value: tokens.count, limit: layers)
        }
        var shape = spec.inputShape
        var total = 0
        for layer in try tokens.map({ try LayerSpec(parsing: $0) }) {
            let count = try layer.parameterCount(for: shape)
            guard let newTotal = sum([total, count]), newTotal <= parameters else {
                throw ModelSpecError.overLimit(
                    what: "number of parameters (at '\(layer.text)')",
                    value: sum([total, count]) ?? Int.max, limit: parameters)
            }
            total = newTotal
            shape = try layer.outputShape(for: shape)
            // outputShape has held the product to activationElements already.
            largest = max(largest, product(shape) ?? activationElements)
        }
        guard shape == [spec.classes] else {
            throw ModelSpecError.outputMismatch(produced: shape, classes: spec.classes)
        }
        return Size(parameters: total, largestActivation: largest)
    }
}
