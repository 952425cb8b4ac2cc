import ArgumentParser
import QuorumRun

/// How a student learns from a teacher's probabilities: shared by `distill` and the run commands' `--teacher`.
struct DistillOptions: ParsableArguments {
    // T = 1 and alpha = 0.5 taught better than Hinton et al.'s T = 4, alpha = 0.9 in every comparison measured
    // (docs/ensemble-methods.md): the members' label smoothing and the vote already soften their probabilities.
    @Option(help: "The temperature T that softens the teacher's and the student's probabilities (> 0).")
    var temperature: Float = 1

    @Option(help: "The share of the loss given to the teacher's probabilities, in [0, 1].")
    var alpha: Float = 0.5

    @Option(
        help: ArgumentHelp(
            "How the teacher's probabilities reach the student.",
            discussion: """
                fixed: the ensemble's vote on the plain training images, computed once and cached in the \
                ensemble folder. consistent: the teacher's members score every training batch as the student \
                sees it, augmented (slower: each step also runs the members forward).
                """))
    var teaching: DistillationTeacher.Teaching = .fixed
}

extension DistillationTeacher.Teaching: ExpressibleByArgument {}
