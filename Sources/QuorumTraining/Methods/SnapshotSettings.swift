/// One job that yields several members: snapshots of one network along a cyclic learning-rate schedule.
///
/// - `cosine` (snapshot ensembles, Huang et al. 2017): `epochs` split into `count` equal cycles; each cycle
///   runs the run's schedule over its epochs with a fresh optimizer (a warm restart; the default cosine
///   schedule anneals to its minimum), and the network at each cycle's end is a member.
/// - `fge` (fast geometric ensembling, Garipov et al. 2018): the normal run of `epochs`, then `count` short
///   cycles of `cycleEpochs` each, whose rate falls linearly from a fifth to a hundredth of the base rate
///   (their paper's α₁ and α₂ for a base rate of 0.05); the network at each cycle's end is a member.
public struct SnapshotSettings: Codable, Equatable, Sendable {
    /// How the cycles are laid out.
    public enum Style: String, Codable, Sendable, CaseIterable {
        /// Warm restarts splitting the run (Huang et al. 2017).
        case cosine
        /// Short cycles after the normal run (Garipov et al. 2018).
        case fge
    }

    /// The most snapshots one job may yield (the protocol's limit on members per RESULT).
    public static let maxCount = 64
    /// FGE's rate at the start of a cycle, as a share of the base rate.
    public static let fgeStartShare: Float = 0.2
    /// FGE's rate at the end of a cycle, where the snapshot is taken, as a share of the base rate.
    public static let fgeEndShare: Float = 0.01

    /// Members the job yields, 2...`maxCount`.
    public var count: Int
    /// Cosine restarts or FGE.
    public var style: Style
    /// FGE: epochs per cycle after the normal run (nil for cosine).
    public var cycleEpochs: Int?

    /// Settings for `count` snapshots in `style`; `cycleEpochs` applies to FGE only.
    public init(count: Int, style: Style = .cosine, cycleEpochs: Int? = nil) {
        self.count = count
        self.style = style
        self.cycleEpochs = cycleEpochs
    }

    /// Epochs the whole job trains, given the config's `epochs`.
    public func totalEpochs(epochs: Int) -> Int {
        style == .cosine ? epochs : epochs + count * (cycleEpochs ?? 0)
    }

    /// Throws `TrainingError.badConfig` naming the first field out of range for a run of `epochs`.
    public func validate(epochs: Int) throws {
        func bad(_ field: String, _ why: String) -> TrainingError {
            .badConfig(field: "snapshots." + field, reason: why)
        }
        guard (2...Self.maxCount).contains(count) else { throw bad("count", "must be 2...\(Self.maxCount)") }
        switch style {
        case .cosine:
            guard cycleEpochs == nil else { throw bad("cycle_epochs", "applies to the fge style only") }
            guard epochs % count == 0 else {
                throw bad("count", "must divide epochs (\(epochs)) into equal cycles; got \(count)")
            }
        case .fge:
            guard let cycle = cycleEpochs, cycle >= 1 else { throw bad("cycle_epochs", "must be at least 1 for fge") }
        }
    }
}
