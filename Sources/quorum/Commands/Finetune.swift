import ArgumentParser
import Foundation
import QuorumTraining

extension Quorum {
    /// `quorum finetune`: train a saved model further on another task, with frozen layers and a new head.
    struct Finetune: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fine-tune a saved model on other data or classes, freezing some layers.",
            discussion: """
                The model comes from --from (its architecture too; --model is ignored). When the data has another \
                number or set of classes than the model's, the last dense layer is replaced by a fresh one. Frozen \
                layers take no optimizer step and keep their bytes.

                Example (classes 5-9, 100 images each):
                  quorum finetune --from pretrained.safetensors --classes 5,6,7,8,9 \\
                    --per-class-limit 100 --freeze all-but-last=2 --epochs 20 \\
                    --out ft.safetensors
                """)

        @OptionGroup var training: TrainingOptions

        @Option(help: "The model file to start from.")
        var from: String

        @Option(
            help: """
                Freeze layers 0..<LAYER (numbered as 'quorum summary' numbers them); an alternative to --freeze.
                """)
        var freezeUntil: Int?

        @Option(help: "Where to write the fine-tuned model.")
        var out: String = "finetuned.safetensors"

        @Flag(help: "Print one JSON object at the end instead of text.")
        var json = false

        @Flag(help: "No progress output.")
        var quiet = false

        func validate() throws {
            if freezeUntil != nil && training.freeze != nil {
                throw ValidationError("give either --freeze or --freeze-until, not both")
            }
            if let l = freezeUntil, l < 0 { throw ValidationError("--freeze-until must not be negative") }
        }

        func run() throws {
            var config = try training.config(startingFrom: from)
            if let l = freezeUntil { config.freeze = "until=\(l)" }
            do { try config.validate() } catch { throw ValidationError("\(error)") }
            let data = try PreparedData.load(for: config)
            if !quiet && !json {
                Terminal.log(
                    "data \(config.data): \(data.train.count) training, \(data.validation.count) validation, \(data.test.count) test images, classes \(data.train.classNames.joined(separator: ", "))"
                )
            }
            let outcome = try MemberTrainer(config: config, data: data).train(
                progress: ProgressBar(quiet: quiet || json).show)
            try outcome.modelFile.write(to: URL(fileURLWithPath: out), options: .atomic)
            let historyPath = HistoryFile.path(forModel: out)
            try HistoryFile.write(outcome.history, to: historyPath)
            let trainable = outcome.model.parameters.filter(\.trainable).reduce(0) { $0 + $1.count }
            if json {
                print(
                    try TrainReport(outcome: outcome, modelPath: out, historyPath: historyPath, config: config)
                        .jsonText())
                return
            }
            print("model \(out): \(outcome.model.spec.layers)")
            print(
                "\(outcome.model.parameterCount) parameters, \(trainable) trained, \(outcome.model.parameterCount - trainable) frozen"
            )
            if let v = outcome.validation { print("validation accuracy: \(Terminal.percent(v.accuracy))") }
            print(PerClassTable.render(outcome.test.perClassAccuracy, classNames: outcome.metadata.classNames))
            print("test accuracy: \(Terminal.percent(outcome.test.accuracy))")
        }
    }
}
