import ArgumentParser
import QuorumData
import QuorumTraining

/// How members are made beyond one network per job: each member's share of the training data (bagging), and
/// several members from one job (snapshot ensembles, FGE). Shared by every command that trains.
struct MemberMethodOptions: ParsableArguments {
    @Flag(
        help: """
            Bagging: each member trains on its own bootstrap sample of the training set (as many draws as images, \
            with replacement), drawn from its seed.
            """)
    var bootstrap = false

    @Option(
        help: """
            Bagging without replacement: each member trains on its own share F in (0, 1] of the training images, \
            drawn from its seed.
            """)
    var subsample: Double?

    @Option(
        help: """
            One job yields this many members: snapshots of one network along a cyclic learning-rate schedule \
            (see --snapshot-style).
            """)
    var snapshots: Int?

    @Option(help: "How the snapshots' cycles are laid out.")
    var snapshotStyle: SnapshotSettings.Style = .cosine

    @Option(help: "fge: epochs of each short cycle after the normal run.")
    var cycleEpochs: Int = 2

    func validate() throws {
        if bootstrap && subsample != nil { throw ValidationError("--bootstrap and --subsample exclude each other") }
        if let subsample, !(subsample > 0 && subsample <= 1) {
            throw ValidationError("--subsample must be a share in (0, 1], got \(subsample)")
        }
    }

    /// The `MemberSample` these flags name, as a config's `sample` text (nil: every image).
    var sample: String? {
        if bootstrap { return MemberSample.bootstrap.description }
        return subsample.map { MemberSample.subsample(share: $0).description }
    }

    /// The snapshot settings these flags name (nil: one member per job).
    var snapshotSettings: SnapshotSettings? {
        snapshots.map {
            SnapshotSettings(count: $0, style: snapshotStyle, cycleEpochs: snapshotStyle == .fge ? cycleEpochs : nil)
        }
    }

    /// Writes these flags into `config` (its `validate` checks them against the epochs).
    func apply(to config: inout TrainingConfig) {
        config.sample = sample
        config.snapshots = snapshotSettings
    }
}
