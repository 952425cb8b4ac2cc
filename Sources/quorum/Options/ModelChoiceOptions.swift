import ArgumentParser
import Foundation
import QuorumCore
import QuorumData
import QuorumEnsemble
import QuorumTraining

/// A model named on the command line: a preset, a layer list, or a model file. Shared by `summary` and
/// `plot-model`.
struct ModelChoiceOptions: ParsableArguments {
    @Option(
        help: """
            A preset (\(ModelSpec.presetNames.joined(separator: ", "))), a layer list, or a model file \
            (.safetensors).
            """)
    var model: String

    @Option(help: "Input shape H,W,C (ignored for a model file).")
    var inputShape: String = "28,28,1"

    @Option(help: "Number of classes (ignored for a model file).")
    var classes: Int = 10

    /// The network: read from the model file, or built (seed 0) from the preset or layer list.
    func network() throws -> Sequential {
        if model.hasSuffix(".safetensors") || FileManager.default.fileExists(atPath: model) {
            return try ModelFile.load(path: model).model
        }
        return try Sequential(
            spec: ModelSpec(parsing: model, inputShape: Self.shape(inputShape), classes: classes),
            seed: 0)
    }

    /// Parses an --input-shape value, H,W,C.
    static func shape(_ text: String) throws -> [Int] {
        let dims = text.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard dims.count == 3, dims.allSatisfy({ $0 > 0 }) else {
            throw ValidationError("--input-shape must be three positive integers H,W,C, e.g. 28,28,1")
        }
        return dims
    }
}
