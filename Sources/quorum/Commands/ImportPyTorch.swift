import ArgumentParser
import Foundation
import QuorumCore
import QuorumTraining
import QuorumData
import QuorumCore

extension Quorum {
    /// `quorum import-pytorch`: turn a PyTorch state dict saved as safetensors into a Quorum model file.
    struct ImportPyTorch: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import-pytorch",
            abstract: """
                Import PyTorch weights (a safetensors state dict) for a preset or layer list as a Quorum model file.
                """,
            discussion: """
                The file holds one nn.Sequential's tensors, named PREFIX.INDEX.weight/bias/running_mean/running_var \
                (as safetensors.torch.save_file(net.state_dict(), FILE) writes them); the modules with tensors are \
                matched in index order with the layers of --model that have parameters. Convolution weights are \
                OIHW and the dense layer after nn.Flatten reads C, H, W order, as in PyTorch. docs/formats.md has \
                the full mapping.

                Example:
                  quorum import-pytorch --weights net.safetensors --model cnn-a \\
                    --out model.safetensors
                """)

        @Option(help: "The PyTorch safetensors file.")
        var weights: String

        @Option(help: "The architecture: a preset (\(ModelSpec.presetNames.joined(separator: ", "))) or a layer list.")
        var model: String

        @Option(help: "One image's shape H,W,C.")
        var inputShape: String = "28,28,1"

        @Option(
            help: """
                Class names, comma-separated (their number is the number of classes). Default: Fashion-MNIST's ten.
                """)
        var classes: String?

        @Option(
            help: """
                The normalisation the net was trained with: MEAN,STD for one channel, or \
                MEAN1,MEAN2,MEAN3,STD1,STD2,STD3.
                """)
        var normalization: String = "0.2860,0.3530"

        @Option(help: "Where to write the Quorum model file.")
        var out: String = "model.safetensors"

        func run() throws {
            let dims = try ModelChoiceOptions.shape(inputShape)
            let names =
                classes.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
                ?? DataSource.fashionMNISTClassNames
            guard !names.isEmpty, !names.contains(where: \.isEmpty) else {
                throw ValidationError("--classes needs non-empty names")
            }
            let numbers = normalization.split(separator: ",").compactMap {
                Float($0.trimmingCharacters(in: .whitespaces))
            }
            guard numbers.count == 2 * dims[2], numbers.count == normalization.split(separator: ",").count,
                numbers.suffix(dims[2]).allSatisfy({ $0 > 0 })
            else {
                throw ValidationError(
                    "--normalization needs \(dims[2]) means then \(dims[2]) positive standard deviations, got '\(normalization)'"
                )
            }
            let spec = try ModelSpec(parsing: model, inputShape: dims, classes: names.count)
            let net = try PyTorchImport.load(path: weights, spec: spec)
            let metadata = ModelMetadata(
                spec: spec, normalizationMean: Array(numbers.prefix(dims[2])),
                normalizationStd: Array(numbers.suffix(dims[2])), classNames: names,
                training: "{\"imported_from\":\"pytorch\"}")
            try ModelFile.save(net, metadata: metadata, to: out)
            print("imported \(weights) as \(spec.name) (\(net.parameterCount) parameters) into \(out)")
        }
    }
}
