import ArgumentParser
import Foundation
import QuorumCore
import QuorumTraining

extension Quorum {
    /// `quorum summary`: a model's layers, output shapes, parameter counts and FLOPs.
    struct Summary: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a model's layers, output shapes, parameter counts and FLOPs.")

        @Option(help: """
            A preset (\(ModelSpec.presetNames.joined(separator: ", "))), a layer list, or a model file \
            (.safetensors).
            """)
        var model: String

        @Option(help: "Input shape H,W,C (ignored for a model file).")
        var inputShape: String = "28,28,1"

        @Option(help: "Number of classes (ignored for a model file).")
        var classes: Int = 10

        func run() throws {
            if model.hasSuffix(".safetensors") {
                print(try ModelFile.load(path: model).model.summary())
                return
            }
            let dims = inputShape.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard dims.count == 3, dims.allSatisfy({ $0 > 0 }) else {
                throw ValidationError("--input-shape must be three positive integers H,W,C, e.g. 28,28,1")
            }
            let spec = try ModelSpec(parsing: model, inputShape: dims, classes: classes)
            print(try Sequential(spec: spec, seed: 0).summary())
        }
    }
}
