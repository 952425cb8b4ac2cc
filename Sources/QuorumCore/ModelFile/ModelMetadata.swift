/// What a model file says about its model besides the weights: how to build it, how to feed it, what it answers.
public struct ModelMetadata: Codable, Equatable, Sendable {
    /// The network.
    public var spec: ModelSpec
    /// Per-channel mean subtracted from [0, 1] pixels before the first layer.
    public var normalizationMean: [Float]
    /// Per-channel standard deviation the pixels are divided by.
    public var normalizationStd: [Float]
    /// One name per class, in label order.
    public var classNames: [String]
    /// The training settings as a JSON object (text), for provenance; empty when unknown.
    public var training: String

    /// Metadata for a model file.
    public init(
        spec: ModelSpec, normalizationMean: [Float], normalizationStd: [Float], classNames: [String],
        training: String = ""
    ) {
        self.spec = spec
        self.normalizationMean = normalizationMean
        self.normalizationStd = normalizationStd
        self.classNames = classNames
        self.training = training
    }
}
