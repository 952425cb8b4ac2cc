/// Which optimizer to build, its hyperparameters and its learning-rate schedule: Codable, so it travels
/// in a job description and is stored with the model.
///
/// Every field holds a concrete value; the CLI initialiser fills the ones not given with the chosen
/// optimizer's defaults (see `OptimizerKind`). Fields an optimizer does not use keep their defaults.
public struct OptimizerSettings: Codable, Equatable, Sendable, CustomStringConvertible {
    /// Which optimizer.
    public var kind: OptimizerKind
    /// The base learning rate (the schedule scales it per batch).
    public var learningRate: Float
    /// Momentum for `sgd` and `rmsprop`.
    public var momentum: Float
    /// Nesterov momentum for `sgd`.
    public var nesterov: Bool
    /// Weight decay: an L2 term, or decoupled for `adamw`; only on parameters that decay.
    public var weightDecay: Float
    /// Adam's first-moment decay (`adam`, `adamw`, `adam-sgd`; also the SGD-phase momentum of `adam-sgd`).
    public var beta1: Float
    /// Adam's second-moment decay (`adam`, `adamw`, `adam-sgd`).
    public var beta2: Float
    /// The squared-gradient decay: RMSprop's α, Adadelta's ρ.
    public var rho: Float
    /// The denominator guard of every optimizer but `sgd`.
    public var epsilon: Float
    /// For `adam-sgd`: the epoch at which to switch to SGD, or nil for the automatic rule.
    public var switchEpoch: Int?
    /// For `adam-sgd` with `switchEpoch`: the SGD rate, or nil for the estimate at the switch.
    public var sgdLearningRate: Float?
    /// For `adam-sgd`: the tolerance of the automatic switch rule.
    public var switchTolerance: Double
    /// The learning-rate schedule and warm-up.
    public var schedule: ScheduleSettings

    /// Settings with every value not given taken from `kind`'s defaults. Does not validate.
    public init(
        kind: OptimizerKind, learningRate: Float? = nil, momentum: Float? = nil, nesterov: Bool = false,
        weightDecay: Float? = nil, beta1: Float? = nil, beta2: Float? = nil, rho: Float? = nil,
        epsilon: Float? = nil, switchEpoch: Int? = nil, sgdLearningRate: Float? = nil,
        switchTolerance: Double? = nil, schedule: ScheduleSettings = ScheduleSettings()
    ) {
        self.kind = kind
        self.learningRate = learningRate ?? kind.defaultLearningRate
        self.momentum = momentum ?? kind.defaultMomentum
        self.nesterov = nesterov
        self.weightDecay = weightDecay ?? kind.defaultWeightDecay
        self.beta1 = beta1 ?? 0.9
        self.beta2 = beta2 ?? 0.999
        self.rho = rho ?? kind.defaultRho
        self.epsilon = epsilon ?? kind.defaultEpsilon
        self.switchEpoch = switchEpoch
        self.sgdLearningRate = sgdLearningRate
        self.switchTolerance = switchTolerance ?? 1e-9
        self.schedule = schedule
    }

    /// Settings from command-line values: the optimizer name (`sgd`, `adam`, `adamw`, `rmsprop`,
    /// `adadelta`, `adam-sgd`), the schedule text (`constant`, `step:5:0.5`, `cosine`, `cosine:1e-5`),
    /// the warm-up in epochs, and the numeric options the user gave (nil when not given).
    /// Throws `OptimizerSettingsError` for an unknown name, a bad schedule, an option the optimizer does
    /// not use, or a value out of range.
    public init(
        optimizer: String, learningRate: Float? = nil, momentum: Float? = nil, nesterov: Bool = false,
        weightDecay: Float? = nil, beta1: Float? = nil, beta2: Float? = nil, rho: Float? = nil,
        epsilon: Float? = nil, switchEpoch: Int? = nil, sgdLearningRate: Float? = nil,
        switchTolerance: Double? = nil, schedule: String = "constant", warmupEpochs: Double = 0
    ) throws {
        try self.init(
            checking: OptimizerKind(parsing: optimizer), learningRate: learningRate, momentum: momentum,
            nesterov: nesterov, weightDecay: weightDecay, beta1: beta1, beta2: beta2, rho: rho,
            epsilon: epsilon, switchEpoch: switchEpoch, sgdLearningRate: sgdLearningRate,
            switchTolerance: switchTolerance, schedule: LearningRateSchedule(parsing: schedule),
            warmupEpochs: warmupEpochs)
    }

    /// Settings from values already parsed (the CLI's typed options): as `init(optimizer:...)`, it fills what
    /// was not given from `kind`'s defaults and throws `OptimizerSettingsError` for an option `kind` does not
    /// use or a value out of range.
    public init(
        checking kind: OptimizerKind, learningRate: Float? = nil, momentum: Float? = nil,
        nesterov: Bool = false, weightDecay: Float? = nil, beta1: Float? = nil, beta2: Float? = nil,
        rho: Float? = nil, epsilon: Float? = nil, switchEpoch: Int? = nil, sgdLearningRate: Float? = nil,
        switchTolerance: Double? = nil, schedule: LearningRateSchedule = .constant,
        warmupEpochs: Double = 0
    ) throws {
        let given: [(String, Bool, Bool)] = [
            ("momentum", momentum != nil, kind.usesMomentum),
            ("nesterov", nesterov, kind == .sgd),
            ("beta1", beta1 != nil, kind.usesBetas),
            ("beta2", beta2 != nil, kind.usesBetas),
            ("rho", rho != nil, kind.usesRho),
            ("epsilon", epsilon != nil, kind.usesEpsilon),
            ("switchEpoch", switchEpoch != nil, kind == .adamSGD),
            ("sgdLearningRate", sgdLearningRate != nil, kind == .adamSGD),
            ("switchTolerance", switchTolerance != nil, kind == .adamSGD)
        ]
        for (field, isGiven, isUsed) in given where isGiven && !isUsed {
            throw OptimizerSettingsError.notApplicable(field: field, optimizer: kind.rawValue)
        }
        self.init(
            kind: kind, learningRate: learningRate, momentum: momentum, nesterov: nesterov,
            weightDecay: weightDecay, beta1: beta1, beta2: beta2, rho: rho, epsilon: epsilon,
            switchEpoch: switchEpoch, sgdLearningRate: sgdLearningRate, switchTolerance: switchTolerance,
            schedule: ScheduleSettings(kind: schedule, warmupEpochs: warmupEpochs))
        try validate()
    }

    /// Checks every value the chosen optimizer uses, throwing an error that names the first bad field.
    public func validate() throws {
        func bad(_ field: String, _ value: CustomStringConvertible, _ expected: String) -> OptimizerSettingsError {
            .invalidField(field: field, value: value.description, expected: expected)
        }
        guard learningRate.isFinite, learningRate > 0 else {
            throw bad("learningRate", learningRate, "a finite rate > 0")
        }
        guard weightDecay.isFinite, weightDecay >= 0 else {
            throw bad("weightDecay", weightDecay, "a finite factor >= 0")
        }
        if kind.usesMomentum {
            guard momentum >= 0, momentum < 1 else { throw bad("momentum", momentum, "a factor in [0, 1)") }
        }
        if nesterov {
            guard kind == .sgd else {
                throw OptimizerSettingsError.notApplicable(field: "nesterov", optimizer: kind.rawValue)
            }
            guard momentum > 0 else { throw bad("nesterov", nesterov, "momentum > 0 for Nesterov momentum") }
        }
        if kind.usesBetas {
            guard beta1 >= 0, beta1 < 1 else { throw bad("beta1", beta1, "a decay rate in [0, 1)") }
            guard beta2 >= 0, beta2 < 1 else { throw bad("beta2", beta2, "a decay rate in [0, 1)") }
        }
        if kind.usesRho {
            guard rho >= 0, rho < 1 else { throw bad("rho", rho, "a decay rate in [0, 1)") }
        }
        if kind.usesEpsilon {
            guard epsilon.isFinite, epsilon > 0 else { throw bad("epsilon", epsilon, "a finite number > 0") }
        }
        if let epoch = switchEpoch {
            guard kind == .adamSGD else {
                throw OptimizerSettingsError.notApplicable(field: "switchEpoch", optimizer: kind.rawValue)
            }
            guard epoch >= 0 else { throw bad("switchEpoch", epoch, "an epoch number >= 0") }
        }
        if let rate = sgdLearningRate {
            guard kind == .adamSGD else {
                throw OptimizerSettingsError.notApplicable(field: "sgdLearningRate", optimizer: kind.rawValue)
            }
            guard switchEpoch != nil else {
                throw bad(
                    "sgdLearningRate", rate, "to be given together with switchEpoch (the automatic rule estimates it)")
            }
            guard rate.isFinite, rate > 0 else { throw bad("sgdLearningRate", rate, "a finite rate > 0") }
        }
        if kind == .adamSGD {
            guard switchTolerance.isFinite, switchTolerance > 0 else {
                throw bad("switchTolerance", switchTolerance, "a finite tolerance > 0")
            }
        }
        try schedule.validate()
        if case let .cosine(minimum) = schedule.kind, minimum > learningRate {
            throw bad("schedule.cosine.minimum", minimum, "a rate <= learningRate (\(learningRate))")
        }
    }

    /// The optimizer these settings describe, over `parameters`, at the base learning rate.
    public func makeOptimizer(parameters: [Parameter]) -> Optimizer {
        switch kind {
        case .sgd:
            return SGD(
                parameters: parameters, learningRate: learningRate, momentum: momentum, nesterov: nesterov,
                weightDecay: weightDecay)
        case .adam:
            return Adam(
                parameters: parameters, learningRate: learningRate, beta1: beta1, beta2: beta2,
                epsilon: epsilon, weightDecay: weightDecay)
        case .adamw:
            return AdamW(
                parameters: parameters, learningRate: learningRate, beta1: beta1, beta2: beta2,
                epsilon: epsilon, weightDecay: weightDecay)
        case .rmsprop:
            return RMSprop(
                parameters: parameters, learningRate: learningRate, alpha: rho, epsilon: epsilon,
                momentum: momentum, weightDecay: weightDecay)
        case .adadelta:
            return Adadelta(
                parameters: parameters, learningRate: learningRate, rho: rho, epsilon: epsilon,
                weightDecay: weightDecay)
        case .adamSGD:
            return AdamThenSGD(
                parameters: parameters, learningRate: learningRate, beta1: beta1, beta2: beta2,
                epsilon: epsilon, weightDecay: weightDecay, switchTolerance: switchTolerance,
                switchAtEpoch: switchEpoch, sgdLearningRate: sgdLearningRate)
        }
    }

    /// The learning rate for fractional `epoch` of a run of `totalEpochs`: the schedule applied to
    /// `learningRate`.
    public func rate(epoch: Double, totalEpochs: Int) -> Float {
        schedule.rate(base: learningRate, epoch: epoch, totalEpochs: totalEpochs)
    }

    /// One line for logs: the optimizer, the values it uses, and the schedule.
    public var description: String {
        var parts = ["\(kind.rawValue) lr=\(learningRate)"]
        if kind.usesMomentum { parts.append("momentum=\(momentum)") }
        if nesterov { parts.append("nesterov") }
        if kind.usesBetas { parts.append("beta1=\(beta1) beta2=\(beta2)") }
        if kind.usesRho { parts.append("rho=\(rho)") }
        if kind.usesEpsilon { parts.append("epsilon=\(epsilon)") }
        parts.append("weightDecay=\(weightDecay)")
        if kind == .adamSGD {
            if let e = switchEpoch {
                parts.append("switchEpoch=\(e)")
            } else {
                parts.append("switchTolerance=\(switchTolerance)")
            }
            if let r = sgdLearningRate { parts.append("sgdLearningRate=\(r)") }
        }
        parts.append("schedule=\(schedule)")
        return parts.joined(separator: " ")
    }
}
