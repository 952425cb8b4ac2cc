import QuorumEnsemble
import QuorumTraining

extension ReportOverview {
    /// The overview of members trained with `configs` (a setting the members differ in lists every value),
    /// and the run's wall time.
    public init(configs: [TrainingConfig], wallSeconds: Double?) {
        func optimizer(_ c: TrainingConfig) -> String {
            let o = c.optimizer
            return o.weightDecay > 0 ? "\(o.kind.rawValue), weight decay \(o.weightDecay)" : o.kind.rawValue
        }
        func schedule(_ c: TrainingConfig) -> String {
            let s = c.optimizer.schedule
            return s.warmupEpochs > 0 ? "\(s.kind), \(s.warmupEpochs) warm-up epochs" : "\(s.kind)"
        }
        self.init(
            dataSet: Self.setting(configs.map(\.data)),
            model: Self.setting(configs.map { $0.initFrom.map { "fine-tuned from \($0)" } ?? $0.model }),
            optimizer: Self.setting(configs.map(optimizer)),
            learningRate: Self.setting(configs.map(\.optimizer.learningRate)),
            batchSize: Self.setting(configs.map(\.batchSize)), epochs: Self.setting(configs.map(\.epochs)),
            schedule: Self.setting(configs.map(schedule)), wallSeconds: wallSeconds)
    }
}
