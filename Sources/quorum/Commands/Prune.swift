import ArgumentParser
import Foundation
import QuorumTraining
import QuorumCore

extension Quorum {
    /// `quorum prune`: remove the weakest convolution filters of a saved model and retrain, in rounds.
    struct Prune: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Prune a saved model's convolution filters by L1 norm, retraining after each round.",
            discussion: """
                Each round removes an equal share of --prune-ratio of every convolution's filters (lowest L1 norm \
                first, Li et al. 2017) with the matching input channels of the next layer, BatchNorm entries and the \
                dense inputs after flatten, then retrains. The result is a smaller model (conv3x3(32) becomes \
                conv3x3(22)), saved as an ordinary model file. After each round a row shows parameters, FLOPs, test \
                accuracy and inference speed (batch 256; build with -c release for meaningful speeds). The retraining \
                takes the data, optimizer and batch flags of 'quorum train' (--data, --optimizer, --batch-size, ...).

                Example:
                  quorum prune --model cnn-a.safetensors --prune-ratio 0.3 --prune-rounds 3 \\
                    --retrain-epochs 1 --out pruned.safetensors
                """)

        @Option(help: "The model file to prune.")
        var model: String

        @OptionGroup var pruning: PruneOptions
        @OptionGroup var dataOptions: DataOptions
        @OptionGroup var optimizerOptions: OptimizerOptions
        @OptionGroup var stepOptions: StepOptions

        // The spellings this command had before it shared the training commands' flags.
        @Option(name: .customLong("ratio"), help: .hidden)
        var oldRatio: Double?
        @Option(name: .customLong("rounds"), help: .hidden)
        var oldRounds: Int?

        @Option(help: "Where to write the pruned model.")
        var out: String = "pruned.safetensors"

        @Flag(help: "Print one JSON object at the end instead of text.")
        var json = false

        @Flag(help: "No progress output.")
        var quiet = false

        func validate() throws {
            guard pruning.pruneRatio != nil || oldRatio != nil else {
                throw ValidationError("give --prune-ratio: the share of every convolution's filters to remove")
            }
        }

        /// The retraining run: the model file, no ordinary epochs, then the pruning rounds.
        func retrainingConfig() throws -> TrainingConfig {
            var config = TrainingConfig()
            try dataOptions.apply(to: &config)
            stepOptions.apply(to: &config)
            config.optimizer = try optimizerOptions.settings()
            config.initFrom = URL(fileURLWithPath: model).standardizedFileURL.path
            config.epochs = 0
            config.prune = PruneSettings(
                ratio: pruning.pruneRatio ?? oldRatio ?? 0,
                rounds: oldRounds ?? pruning.pruneRounds, retrainEpochs: pruning.retrainEpochs)
            do { try config.validate() } catch { throw ValidationError("\(error)") }
            return config
        }

        func run() throws {
            let config = try retrainingConfig()
            let prepared = try PreparedData.load(for: config)
            let text = !json
            if text {
                print("round  MFLOPs  parameters  test acc   img/s  layers")
            }
            let bar = ProgressBar(quiet: quiet || json)
            let outcome = try MemberTrainer(config: config, data: prepared).train(
                progress: bar.show,
                pruneProgress: { row in
                    guard text else { return }
                    print(
                        String(
                            format: "%5d  %6.2f  %10d  %7.2f%%  %6.0f  ", row.round, Double(row.flops) / 1e6,
                            row.parameters,
                            100 * row.testAccuracy, row.imagesPerSecond) + row.layers)
                })
            try outcome.modelFile.write(to: URL(fileURLWithPath: out), options: .atomic)
            guard let first = outcome.pruneRounds.first, let last = outcome.pruneRounds.last else { return }
            let flopsCut = 1 - Double(last.flops) / Double(first.flops)
            let accuracyChange = 100 * (last.testAccuracy - first.testAccuracy)
            let speedUp = last.imagesPerSecond / max(first.imagesPerSecond, 1e-9)
            if json {
                let encoder = JSONCoding.encoder(.pretty)
                let object: [String: AnyEncodable] = [
                    "model": .init(out), "rounds": .init(outcome.pruneRounds), "flops_reduction": .init(flopsCut),
                    "accuracy_change_points": .init(accuracyChange), "inference_speedup": .init(speedUp)
                ]
                print(String(decoding: try encoder.encode(object), as: UTF8.self))
                return
            }
            print(
                String(
                    format:
                        "pruned model %@: %.1f %% fewer FLOPs, %.1f %% fewer parameters, accuracy %+.2f points, inference %.2fx",
                    out, 100 * flopsCut, 100 * (1 - Double(last.parameters) / Double(first.parameters)), accuracyChange,
                    speedUp))
        }
    }
}
