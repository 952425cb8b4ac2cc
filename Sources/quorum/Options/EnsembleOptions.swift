import ArgumentParser
import QuorumCore
import QuorumData
import QuorumEnsemble
import QuorumTraining

/// The flags of an ensemble run, shared by `coordinator` and `local`.
struct EnsembleOptions: ParsableArguments {
    @Option(
        help: """
            Ensemble members (default 5); member i trains with seed --seed + i. With --resume, a count above the \
            run's adds members to it.
            """)
    var members: Int?

    /// The member count of a new run.
    var memberCount: Int { members ?? 5 }

    @Option(help: "Run directory (plan, journal, member models, predictions, summary, report). Default: runs/<time>.")
    var runDir: String?

    @Option(
        help: """
            Continue the run in this directory: train only the members that are missing. Other settings come from \
            its plan.
            """)
    var resume: String?

    @Option(
        parsing: .singleValue,
        help: """
            Vary a setting across members: KEY=V1,V2,... (member i takes value i mod count); keys lr, batch-size, \
            epochs, weight-decay, label-smoothing, model, optimizer. Repeatable.
            """)
    var vary: [String] = []

    @Option(
        help: """
            Train every member as a student of this ensemble folder (knowledge distillation, as 'quorum distill' \
            does): the data flags must give the images its members were trained on. Workers must be able to read \
            the teacher file made in it.
            """)
    var teacher: String?

    @OptionGroup var distillOptions: DistillOptions

    @OptionGroup var heartbeats: HeartbeatOptions
    @OptionGroup var metrics: MetricsOptions

    @Option(
        help: """
            Failed or rejected attempts of one member after which that member is given up; the run finishes with \
            the others and exits with status 3.
            """)
    var maxAttempts: Int = 3

    @Flag(help: "Print the final comparison as one JSON object.")
    var json = false

    @Flag(help: "No live table or progress lines.")
    var quiet = false

    /// Seconds between heartbeats (--heartbeat).
    var heartbeat: Double { heartbeats.heartbeat }
    /// Silent intervals after which a worker counts as gone (--liveness).
    var liveness: Int { heartbeats.liveness }

    func validate() throws {
        if let members, !(1...100_000).contains(members) {
            throw ValidationError("--members must be between 1 and 100000")
        }
        guard maxAttempts >= 1 else { throw ValidationError("--max-attempts must be ≥ 1") }
        if let resume, let runDir, resume != runDir {
            throw ValidationError("--resume names the run directory; drop --run-dir")
        }
    }
}
