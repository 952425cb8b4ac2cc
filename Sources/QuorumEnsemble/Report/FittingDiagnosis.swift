import QuorumData

/// Whether a member over- or underfitted, judged from its learning curves by the rule in `ruleText`.
public struct FittingDiagnosis: Codable, Sendable, Equatable {
    /// The judgement.
    public enum Verdict: String, Codable, Sendable {
        /// Neither rule fired.
        case goodFit = "good fit"
        /// The network learns the training set at the validation set's expense.
        case overfitting
        /// The network has not yet learned what it could.
        case underfitting
        /// Too few epochs for the trend rules, and no gap rule fired.
        case tooShort = "too short to judge"
    }

    /// The judgement.
    public let verdict: Verdict
    /// The facts that led to it, one sentence each (empty for a good fit).
    public let reasons: [String]

    /// Accuracy gap, in points, above which final training accuracy counts as too far from validation.
    public static let gapPoints = 5.0
    /// Training accuracy gain, in points per epoch over the last two epochs, that counts as still learning.
    public static let risingPointsPerEpoch = 0.5

    /// The rule, as shown in reports.
    public static let ruleText = """
        Overfitting: validation loss rose in two consecutive epochs while training loss fell in both, \
        or final training accuracy exceeds final validation accuracy by more than \(Format.fixed(gapPoints, 0)) points. \
        Underfitting (when not overfitting): training accuracy still rose by more than \
        \(Format.fixed(risingPointsPerEpoch, 1)) points per epoch over the last two epochs (stopped while still \
        learning), or final training accuracy is more than \(Format.fixed(gapPoints, 0)) points below final \
        validation accuracy (regularisation or augmentation holds the fit back). \
        The trend rules need at least 3 epochs.
        """

    /// Applies the rule to `history`, in epoch order; epochs without validation figures take no part in the
    /// rules that compare against validation.
    public static func diagnose(_ history: [EpochStats]) -> FittingDiagnosis {
        guard let last = history.last else {
            return FittingDiagnosis(verdict: .tooShort, reasons: ["no epochs recorded"])
        }
        var over: [String] = [], under: [String] = []
        if history.count >= 3 {
            for i in 2..<history.count {
                let a = history[i - 2], b = history[i - 1], c = history[i]
                if let av = a.validationLoss, let bv = b.validationLoss, let cv = c.validationLoss, bv > av, cv > bv,
                    b.trainLoss < a.trainLoss, c.trainLoss < b.trainLoss
                {
                    over.append("validation loss rose in epochs \(b.epoch) and \(c.epoch) while training loss fell")
                    break
                }
            }
            let rate = (last.trainAccuracy - history[history.count - 3].trainAccuracy) * 100 / 2
            if rate > risingPointsPerEpoch {
                under.append("training accuracy still rose by \(Format.fixed(rate, 2)) points per epoch at the end")
            }
        }
        if let validation = last.validationAccuracy {
            let gap = (last.trainAccuracy - validation) * 100
            if gap > gapPoints {
                over.append("final training accuracy is \(Format.fixed(gap, 2)) points above validation accuracy")
            } else if -gap > gapPoints {
                under.append("final training accuracy is \(Format.fixed(-gap, 2)) points below validation accuracy")
            }
        }
        if !over.isEmpty { return FittingDiagnosis(verdict: .overfitting, reasons: over) }
        if !under.isEmpty { return FittingDiagnosis(verdict: .underfitting, reasons: under) }
        if history.count < 3 {
            return FittingDiagnosis(verdict: .tooShort, reasons: ["only \(history.count) epoch(s) recorded"])
        }
        return FittingDiagnosis(verdict: .goodFit, reasons: [])
    }
}
