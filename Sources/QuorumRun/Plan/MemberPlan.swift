import QuorumTraining

/// One ensemble member in a run plan: its job id, seed, augmentation and full training settings.
public struct MemberPlan: Codable, Equatable, Sendable {
    /// Position in the ensemble, from 0.
    public var index: Int
    /// `member-00`, `member-01`, ...: the job id on the wire and the file stem in the run directory.
    public var jobId: String
    /// Everything the worker needs to train it (seed and augmentation included).
    public var config: TrainingConfig

    /// The member's file stem for index `i`.
    public static func jobId(for i: Int) -> String { "member-" + (i < 10 ? "0\(i)" : "\(i)") }
}

extension MemberPlan {
    /// The members this job leaves in the run directory, by file stem: the job itself, or for a snapshot job
    /// its earlier snapshots (`member-00-c1`, …) and then the job itself as the last cycle.
    public var storedMembers: [(name: String, cycle: Int?)] {
        guard let count = config.snapshots?.count else { return [(jobId, nil)] }
        return (1..<count).map { (RunDirectory.snapshotName(jobId: jobId, cycle: $0), $0) } + [(jobId, count)]
    }
}
