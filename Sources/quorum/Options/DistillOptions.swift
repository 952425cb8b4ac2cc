import ArgumentParser
import QuorumRun

/// How a student learns from a teacher's probabilities: shared by `distill` and the run commands' `--teacher`.
struct DistillOptions: ParsableArguments {
    @Option(help: "The temperature T that softens the teacher's and the student's probabilities (> 0).")
    var temperature: Float = 4

    @Option(help: "The share of the loss given to the teacher's probabilities, in [0, 1].")
    var alpha: Float = 0.9

    @Option(
        help: ArgumentHelp(
            "How the teacher's probabilities reach the student.",
            discussion: """
                consistent: the teacher's members score every training batch as the student sees it, augmented \
                (slower: each step also runs the members forward). fixed: the ensemble's vote on the plain \
                training images, computed once and cached in the ensemble folder.
                """))
    var teaching: DistillationTeacher.Teaching = .consistent
}

extension DistillationTeacher.Teaching: ExpressibleByArgument {}
