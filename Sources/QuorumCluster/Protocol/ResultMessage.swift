import Foundation

/// A whole RESULT: header, test-set probabilities (row-major, `testCount` × `classes`) and the model file.
public struct ResultMessage: Equatable, Sendable {
    /// The JSON header.
    public var header: ResultHeader
    /// Test-set class probabilities, row per image.
    public var probabilities: [Float]
    /// The model file's bytes.
    public var model: Data

    /// A RESULT from its parts; the header's sizes should match them (the decoder checks they do).
    public init(header: ResultHeader, probabilities: [Float], model: Data) {
        self.header = header
        self.probabilities = probabilities
        self.model = model
    }
}
