import ArgumentParser
import Foundation
import QuorumRun
import QuorumTraining

extension Quorum {
    /// `quorum distill`: one student network trained on an ensemble's soft targets.
    struct Distill: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train one student network on an ensemble's probabilities (knowledge distillation).",
            discussion: """
                Example:
                  quorum distill --ensemble runs/fashion --model cnn-a --epochs 10 \\
                    --temperature 1 --alpha 0.5 --out student.safetensors

                The student trains on the images the members were trained on (their data, validation split and \
                limits, read from the first member's file), with loss alpha · T² · CE(student at T, teacher at T) \
                + (1 − alpha) · CE(student, labels) (Hinton et al. 2015). The teacher's probabilities are the \
                ensemble's vote with its rule, weights and test-time augmentation, computed once and cached in \
                the ensemble folder under teacher/ (--teaching fixed), or its members' mean probability on each \
                batch as the student sees it (--teaching consistent). The student is an ordinary model file; the optimizer and step \
                flags are those of 'quorum train', so the same network trained alone is 'quorum train' with the \
                same flags and the members' data flags.
                """)

        @Option(help: "The teacher: an ensemble folder (a run directory holds one).")
        var ensemble: String

        @Option(help: "The student: a preset or a layer list, as for 'quorum train'.")
        var model: String = "cnn-a"

        @Option(help: "Passes over the training set.")
        var epochs: Int = 10

        @OptionGroup var distillOptions: DistillOptions

        @OptionGroup var optimizerOptions: OptimizerOptions
        @OptionGroup var stepOptions: StepOptions
        @OptionGroup var initialization: InitializationOption

        @Option(help: "Where to write the student's model file.")
        var out: String = "student.safetensors"

        @Flag(help: "No progress output.")
        var quiet = false

        func run() throws {
            let teacher = try DistillationTeacher(
                ensemble: URL(fileURLWithPath: ensemble), teaching: distillOptions.teaching)
            if !quiet {
                let members = teacher.manifest.members.count, images = teacher.scores.data.train.count
                switch teacher.teaching {
                case .consistent:
                    Terminal.log("teacher: \(members) members scoring every batch of \(images) training images")
                case .fixed:
                    Terminal.log(
                        "teacher: \(members) members, \(teacher.manifest.voteRule.rawValue) vote on \(images) "
                            + "training images " + (teacher.computed ? "(computed, cached in " : "(from the cache, ")
                            + teacher.url.path + ")")
                }
            }
            let optimizer = try optimizerOptions.settings()
            let config: TrainingConfig
            do {
                config = try teacher.studentConfig(
                    model: model, epochs: epochs, temperature: distillOptions.temperature, alpha: distillOptions.alpha,
                    adjust: {
                        stepOptions.apply(to: &$0)
                        $0.optimizer = optimizer
                        $0.initialization = initialization.configValue(freshNetwork: true)
                    })
            } catch { throw ValidationError("\(error)") }
            let outcome = try MemberTrainer(config: config, data: teacher.scores.data)
                .train(progress: ProgressBar(quiet: quiet).show)
            try outcome.modelFile.write(to: URL(fileURLWithPath: out), options: .atomic)
            try HistoryFile.write(outcome.history, to: HistoryFile.path(forModel: out))
            print("student \(out) (\(outcome.model.parameterCount) parameters)")
            if let v = outcome.validation { print("validation accuracy: \(Terminal.percent(v.accuracy))") }
            print("test accuracy: \(Terminal.percent(outcome.test.accuracy))")
        }
    }
}
