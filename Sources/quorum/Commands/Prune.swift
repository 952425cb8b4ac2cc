import ArgumentParser
import Foundation
import QuorumTraining

extension Quorum {
    /// `quorum prune`: remove the weakest convolution filters of a saved model and retrain, in rounds.
    struct Prune: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Prune a saved model's convolution filters by L1 norm, retraining after each round.",
            discussion: """
            Each round removes an equal share of --ratio of every convolution's filters (lowest L1 norm first,
            Li et al. 2017) with the matching input channels of the next layer, BatchNorm entries and the dense
            inputs after flatten, then retrains. The result is a smaller model (conv3x3(32) becomes conv3x3(22)),
            saved as an ordinary model file. After each round a row shows parameters, FLOPs, test accuracy and
            inference speed (batch 256; build with -c release for meaningful speeds).
            Example: quorum prune --model cnn-a.safetensors --ratio 0.3 --rounds 3 --retrain-epochs 1 --out pruned.safetensors
            """)

        @Option(help: "The model file to prune.")
        var model: String

        @Option(help: "Data set to retrain and test on (as for 'quorum train').")
        var data: String = "fashion-mnist"

        @Option(help: "Share of every convolution's filters to remove, in (0, 1).")
        var ratio: Double

        @Option(help: "Prune-and-retrain rounds.")
        var rounds: Int = 3

        @Option(help: "Epochs of retraining after each round.")
        var retrainEpochs: Int = 1

        @Option(help: "Retraining optimizer.")
        var optimizer: String = "adam"

        @Option(help: "Retraining learning rate (default: the optimizer's).")
        var lr: Float?

        @Option(help: "Images per optimizer step.")
        var batchSize: Int = 64

        @Option(help: "Augmentation while retraining (as for 'quorum train').")
        var augment: String = "none"

        @Option(help: "Seed of the retraining's shuffling, augmentation and dropout.")
        var seed: UInt64 = 1

        @Option(help: "Training images held out for validation (the same seeded split as 'quorum train').")
        var validationSize: Int = 5000

        @Option(help: "Retrain on the first N training images only.")
        var trainLimit: Int?

        @Option(help: "Test on the first N test images only.")
        var testLimit: Int?

        @Option(help: "BLAS threads.")
        var threads: Int = 1

        @Option(help: "Where to write the pruned model.")
        var out: String = "pruned.safetensors"

        @Flag(help: "Print one JSON object at the end instead of text.")
        var json = false

        @Flag(help: "No progress output.")
        var quiet = false

        func run() throws {
            var config = TrainingConfig()
            config.data = data
            config.initFrom = URL(fileURLWithPath: model).standardizedFileURL.path
            config.epochs = 0
            config.batchSize = batchSize
            config.optimizer = try OptimizerSettings(optimizer: optimizer, learningRate: lr)
            config.augment = augment
            config.seed = seed
            config.validationSize = validationSize
            config.trainLimit = trainLimit
            config.testLimit = testLimit
            config.threads = threads
            config.prune = PruneSettings(ratio: ratio, rounds: rounds, retrainEpochs: retrainEpochs)
            do { try config.validate() } catch { throw ValidationError("\(error)") }
            let prepared = try PreparedData.load(for: config)
            let text = !json
            if text {
                print("round  MFLOPs  parameters  test acc   img/s  layers")
            }
            let bar = ProgressBar(quiet: quiet || json)
            let outcome = try MemberTrainer(config: config, data: prepared).train(progress: bar.show, pruneProgress: { row in
                guard text else { return }
                print(String(format: "%5d  %6.2f  %10d  %7.2f%%  %6.0f  ", row.round, Double(row.flops) / 1e6, row.parameters,
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
                    "accuracy_change_points": .init(accuracyChange), "inference_speedup": .init(speedUp),
                ]
                print(String(decoding: try encoder.encode(object), as: UTF8.self))
                return
            }
            print(String(format: "pruned model %@: %.1f %% fewer FLOPs, %.1f %% fewer parameters, accuracy %+.2f points, inference %.2fx",
                         out, 100 * flopsCut, 100 * (1 - Double(last.parameters) / Double(first.parameters)), accuracyChange, speedUp))
        }
    }
}
