import ArgumentParser
import QuorumCore
import QuorumData
import QuorumEnsemble
import QuorumTraining

/// How often the coordinator and a worker heartbeat, and how much silence ends the link. Shared by
/// `worker` and the commands that run a coordinator.
struct HeartbeatOptions: ParsableArguments {
    @Option(help: "Seconds between heartbeats.")
    var heartbeat: Double = 1

    @Option(
        help: """
            Silent heartbeat intervals after which the other side counts as gone: a coordinator re-queues a gone \
            worker's job, a worker reconnects.
            """)
    var liveness: Int = 3

    func validate() throws {
        guard heartbeat > 0, liveness >= 1 else {
            throw ValidationError("--heartbeat must be > 0 and --liveness ≥ 1")
        }
    }
}
