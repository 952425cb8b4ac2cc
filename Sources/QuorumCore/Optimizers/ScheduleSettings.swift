/// A learning-rate schedule plus a linear warm-up: what the trainer asks for the rate of each batch.
///
/// Text forms: the schedule as in `LearningRateSchedule` (`constant`, `step:5:0.5`, `cosine`,
/// `cosine:1e-5`, `onecycle`, `onecycle:0.3`) and the warm-up separately in epochs (`--warmup 1`, fractions
/// allowed, 0 for none).
/// During the warm-up the rate grows linearly from 0 at epoch 0 to the scheduled rate at its end;
/// `step` counts its periods from epoch 0, `cosine` anneals over the epochs after the warm-up.
public struct ScheduleSettings: Codable, Equatable, Sendable, CustomStringConvertible {
    /// The schedule after the warm-up.
    public var kind: LearningRateSchedule
    /// The warm-up length in epochs (0 for none).
    public var warmupEpochs: Double

    /// Settings from their parts.
    public init(kind: LearningRateSchedule = .constant, warmupEpochs: Double = 0) {
        self.kind = kind
        self.warmupEpochs = warmupEpochs
    }

    /// Settings from the CLI's `--schedule` text and `--warmup` epochs; throws on a bad text or warm-up.
    public init(parsing text: String, warmupEpochs: Double = 0) throws {
        self.init(kind: try LearningRateSchedule(parsing: text), warmupEpochs: warmupEpochs)
        try validate()
    }

    /// The learning rate for fractional `epoch` (epoch e, batch b of n is `e + (b + 1)/n`, so the
    /// first batch of a warm-up gets a small rate rather than 0) of a run of `totalEpochs`.
    public func rate(base: Float, epoch: Double, totalEpochs: Int) -> Float {
        let scheduled = kind.rate(base: base, epoch: epoch, start: warmupEpochs, totalEpochs: totalEpochs)
        guard warmupEpochs > 0, epoch < warmupEpochs else { return scheduled }
        return scheduled * Float(max(epoch, 0) / warmupEpochs)
    }

    /// Checks the warm-up and the schedule's numbers, naming the bad field.
    public func validate() throws {
        guard warmupEpochs.isFinite, warmupEpochs >= 0 else {
            throw OptimizerSettingsError.invalidField(
                field: "warmupEpochs", value: "\(warmupEpochs)",
                expected: "a number of epochs >= 0")
        }
        switch kind {
        case .constant:
            break
        case let .step(every, gamma):
            guard every >= 1 else {
                throw OptimizerSettingsError.invalidField(
                    field: "schedule.step.every", value: "\(every)",
                    expected: "a whole number of epochs >= 1")
            }
            guard gamma.isFinite, gamma > 0 else {
                throw OptimizerSettingsError.invalidField(
                    field: "schedule.step.gamma", value: "\(gamma)",
                    expected: "a finite factor > 0")
            }
        case let .cosine(minimum):
            guard minimum.isFinite, minimum >= 0 else {
                throw OptimizerSettingsError.invalidField(
                    field: "schedule.cosine.minimum", value: "\(minimum)",
                    expected: "a finite rate >= 0")
            }
        case let .oneCycle(peak):
            guard peak > 0, peak < 1 else {
                throw OptimizerSettingsError.invalidField(
                    field: "schedule.onecycle.peak", value: "\(peak)",
                    expected: "a share of the run strictly between 0 and 1")
            }
            // One-cycle rises from base/25 itself; a linear warm-up on top would multiply two warm-ups.
            guard warmupEpochs == 0 else {
                throw OptimizerSettingsError.invalidField(
                    field: "warmupEpochs", value: "\(warmupEpochs)",
                    expected: "0 with `onecycle`, which warms up by itself")
            }
        }
    }

    /// The schedule's text form, plus the warm-up when there is one.
    public var description: String {
        warmupEpochs > 0 ? "\(kind) warmup=\(warmupEpochs)" : "\(kind)"
    }
}
