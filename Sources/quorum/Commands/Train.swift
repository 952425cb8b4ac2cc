import ArgumentParser
import Foundation
import QuorumTraining

extension Quorum {
    /// `quorum train`: one model, from flags to a model file and a test accuracy.
    struct Train: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train one model and save it as a safetensors file.",
            discussion: """
                Example:
                  quorum train --data fashion-mnist --model cnn-a --epochs 10 \\
                    --optimizer adam --lr 1e-3 --seed 1 --augment hflip,crop=2 \\
                    --out member.safetensors

                The per-epoch history (train and validation loss and accuracy) is saved next to the model as \
                NAME.history.json. With --snapshots K the job yields K models: the last cycle's goes to --out, \
                cycle c's to NAME-cC.safetensors. The same seed and settings give the same file, byte for byte, at the same thread \
                count.
                """)

        @OptionGroup var training: TrainingOptions

        @Option(help: "Where to write the model.")
        var out: String = "model.safetensors"

        @Flag(help: "Print one JSON object at the end instead of text.")
        var json = false

        @Flag(help: "No progress output.")
        var quiet = false

        func run() throws {
            let config = try training.config()
            let data = try PreparedData.load(
                for: config, progress: DecodeProgress.terminal("decoding images", quiet: quiet || json))
            if !quiet && !json {
                Terminal.log(
                    "data \(config.data): \(data.train.count) training, \(data.validation.count) validation, \(data.test.count) test images of \(data.train.imageShape)"
                )
            }
            try DataNotes.show(data, skippedList: DataNotes.skippedPath(forModel: out))
            let trainer = try MemberTrainer(config: config, data: data)
            let bar = ProgressBar(quiet: quiet)
            let outcome = try trainer.train(progress: bar.show)
            try outcome.modelFile.write(to: URL(fileURLWithPath: out), options: .atomic)
            let historyPath = HistoryFile.path(forModel: out)
            try HistoryFile.write(outcome.history, to: historyPath)
            for snapshot in outcome.snapshots {
                let path = HistoryFile.snapshotPath(forModel: out, cycle: snapshot.cycle)
                try snapshot.modelFile.write(to: URL(fileURLWithPath: path), options: .atomic)
            }

            if json {
                let report = TrainReport(outcome: outcome, modelPath: out, historyPath: historyPath, config: config)
                print(try report.jsonText())
                return
            }
            print("model \(out) (\(outcome.model.parameterCount) parameters), history \(historyPath)")
            print(
                "trained \(outcome.history.count) epochs in \(String(format: "%.1f", outcome.trainSeconds)) s, \(Int(outcome.imagesPerSecond)) img/s"
            )
            for snapshot in outcome.snapshots {
                let path = HistoryFile.snapshotPath(forModel: out, cycle: snapshot.cycle)
                print("snapshot \(snapshot.cycle): \(path), test accuracy \(Terminal.percent(snapshot.test.accuracy))")
            }
            if let v = outcome.validation { print("validation accuracy: \(Terminal.percent(v.accuracy))") }
            print(PerClassTable.render(outcome.test.perClassAccuracy, classNames: outcome.metadata.classNames))
            print("test accuracy: \(Terminal.percent(outcome.test.accuracy))")
        }
    }
}
