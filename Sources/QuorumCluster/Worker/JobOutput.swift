import Foundation

/// What a `JobRunner` returns for a finished job; the worker sends it as RESULT.
public struct JobOutput: Sendable {
    /// Final validation loss.
    public var validationLoss: Double
    /// Final validation accuracy, 0...1.
    public var validationAccuracy: Double
    /// Per-epoch history as UTF-8 JSON text of an array.
    public var history: Data
    /// Test images (rows of `probabilities`).
    public var testCount: Int
    /// Classes (columns of `probabilities`).
    public var classes: Int
    /// Test-set class probabilities, row-major, `testCount` × `classes`.
    public var probabilities: [Float]
    /// The model file's bytes.
    public var model: Data

    /// An output from its parts.
    public init(
        validationLoss: Double, validationAccuracy: Double, history: Data, testCount: Int, classes: Int,
        probabilities: [Float], model: Data
    ) {
        self.validationLoss = validationLoss
        self.validationAccuracy = validationAccuracy
        self.history = history
        self.testCount = testCount
        self.classes = classes
        self.probabilities = probabilities
        self.model = model
    }
}
