/// A network built from a `ModelSpec`: layers applied in order, with named parameters.
///
/// Parameters are named `layers.<index>.<name>` after the position of their layer in the spec, so a model
/// file reads the same as a PyTorch `nn.Sequential` stored under the attribute `layers`.
public final class Sequential {
    /// What was built.
    public let spec: ModelSpec
    /// The layers, in order.
    public let layers: [Layer]
    /// Every learnable tensor, in layer order.
    public let parameters: [Parameter]
    /// Every saved non-learnable tensor (BatchNorm running statistics), in layer order.
    public let buffers: [Parameter]

    /// Builds the layers of `spec` and initialises them from `seed` (purpose "init"; dropout masks draw
    /// from purpose "dropout.<index>"), so the same seed gives the same network, bit for bit.
    public init(spec: ModelSpec, seed: UInt64) throws {
        self.spec = spec
        var shape = spec.inputShape
        var built: [Layer] = []
        var initGenerator = SeededGenerator(seed: seed, purpose: "init")
        for (index, layerSpec) in spec.layerSpecs.enumerated() {
            let layer = Sequential.makeLayer(layerSpec, inputShape: shape)
            if let dropout = layer as? Dropout {
                dropout.generator = SeededGenerator(seed: seed, purpose: "dropout.\(index)")
            }
            initialize(layer, using: &initGenerator)
            for p in layer.parameters + layer.buffers { p.name = "layers.\(index).\(p.name)" }
            shape = try layerSpec.outputShape(for: shape)
            built.append(layer)
        }
        // relu then maxpool: the pool applies the ReLU on its four-times smaller output (max and ReLU
        // commute), which saves a pass over the larger tensor forward and backward.
        for (relu, pool) in zip(built, built.dropFirst()) {
            guard let relu = relu as? ReLU, let pool = pool as? MaxPool2D else { continue }
            relu.foldedIntoNext = true
            pool.rectifies = true
        }
        layers = built
        parameters = built.flatMap(\.parameters)
        buffers = built.flatMap(\.buffers)
    }

    /// Parameters and buffers together, in the order model files store them.
    public var namedTensors: [Parameter] { parameters + buffers }

    /// Scores a batch: `[N, H, W, C]` in, `[N, classes]` logits out (owned by the last layer).
    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        var x = input
        for layer in layers { x = layer.forward(x, training: training) }
        return x
    }

    /// Back-propagates dLoss/dLogits through every layer, adding into the parameter gradients.
    /// Layers before the first trainable parameter are skipped: nothing there needs a gradient.
    public func backward(_ gradOutput: Tensor) {
        guard let first = layers.firstIndex(where: { $0.parameters.contains { $0.trainable } }) else { return }
        var g = gradOutput
        for index in stride(from: layers.count - 1, through: first, by: -1) {
            guard let next = layers[index].backward(g, needInputGradient: index > first) else { break }
            g = next
        }
    }

    /// Sets every gradient to zero, before a step's backward pass.
    public func zeroGradients() {
        for p in parameters where p.trainable { p.gradient.zero() }
    }

    /// The number of learnable scalars.
    public var parameterCount: Int { parameters.reduce(0) { $0 + $1.count } }

    /// Forward FLOPs for one sample.
    public var forwardFLOPs: Int { layers.reduce(0) { $0 + $1.forwardFLOPs } }

    /// Builds one layer for the given one-sample input shape (already checked by `ModelSpec`).
    static func makeLayer(_ spec: LayerSpec, inputShape: [Int]) -> Layer {
        switch spec {
        case let .conv(k, f, s, p):
            return Conv2D(inputShape: inputShape, filters: f, kernelSize: k, stride: s, padding: p)
        case let .dense(u): return Dense(inFeatures: inputShape[0], outFeatures: u)
        case .relu: return ReLU(inputShape: inputShape)
        case let .leakyReLU(slope): return LeakyReLU(inputShape: inputShape, slope: slope)
        case let .elu(alpha): return ELU(inputShape: inputShape, alpha: alpha)
        case let .maxPool(size, stride): return MaxPool2D(inputShape: inputShape, size: size, stride: stride)
        case let .avgPool(size, stride): return AvgPool2D(inputShape: inputShape, size: size, stride: stride)
        case .globalAvgPool: return GlobalAvgPool(inputShape: inputShape)
        case .batchNorm: return BatchNorm2D(inputShape: inputShape)
        case let .dropout(rate): return Dropout(inputShape: inputShape, rate: rate)
        case .flatten: return Flatten(inputShape: inputShape)
        }
    }
}
