import ArgumentParser

/// How a student learns from a teacher's probabilities: shared by `distill` and the run commands' `--teacher`.
struct DistillOptions: ParsableArguments {
    @Option(help: "The temperature T that softens the teacher's and the student's probabilities (> 0).")
    var temperature: Float = 4

    @Option(help: "The share of the loss given to the teacher's probabilities, in [0, 1].")
    var alpha: Float = 0.9
}
