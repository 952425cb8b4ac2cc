import ArgumentParser
import QuorumCore
import QuorumData
import QuorumEnsemble
import QuorumTraining

// The library's enumerated settings as command-line values. ArgumentParser lists the values (with these
// descriptions) in --help and names them in the error for a bad one, so no help text repeats them.

extension OptimizerKind: ExpressibleByArgument {
    /// Reads a name as the library does: any case, and `swats` for `adam-sgd`.
    public init?(argument: String) {
        guard let kind = try? OptimizerKind(parsing: argument) else { return nil }
        self = kind
    }

    /// What each value means, shown under the option in --help.
    public static var allValueDescriptions: [String: String] {
        [
            "sgd": "SGD; momentum 0.9 unless --momentum is given.",
            "adam": "Adam.",
            "adamw": "AdamW: Adam with decoupled weight decay (default 0.01).",
            "rmsprop": "RMSprop.",
            "adadelta": "Adadelta.",
            "adam-sgd": "Adam, then SGD when the SWATS estimate settles (or at --switch-epoch)."
        ]
    }
}

extension LearningRateSchedule: ExpressibleByArgument {
    /// Reads a text form as the library does.
    public init?(argument: String) {
        guard let schedule = try? LearningRateSchedule(parsing: argument) else { return nil }
        self = schedule
    }

    /// The text forms, with their parameters in capitals.
    public static var allValueStrings: [String] {
        ["constant", "step:EVERY:GAMMA", "cosine", "cosine:MIN", "onecycle", "onecycle:PEAK"]
    }

    /// What each value means, shown under the option in --help.
    public static var allValueDescriptions: [String: String] {
        [
            "constant": "The base rate throughout.",
            "step:EVERY:GAMMA": "The rate times GAMMA every EVERY epochs, e.g. step:5:0.5.",
            "cosine": "Half a cosine from the base rate down to 0 at the last epoch.",
            "cosine:MIN": "The same, down to the rate MIN, e.g. cosine:1e-5.",
            "onecycle": "PyTorch's OneCycleLR, peaking at 30 % of the run; it takes no --warmup.",
            "onecycle:PEAK": "OneCycleLR peaking at the share PEAK of the run, e.g. onecycle:0.25."
        ]
    }
}

extension InitializationScheme: ExpressibleByArgument {
    /// What each value means, shown under the option in --help.
    public static var allValueDescriptions: [String: String] {
        [
            "he": "He-uniform weights, zero biases.",
            "he-normal": "He-normal weights, zero biases.",
            "xavier": "Xavier-uniform weights, zero biases.",
            "xavier-normal": "Xavier-normal weights, zero biases.",
            "pytorch": "PyTorch's: weights and biases U(±1/√fan-in)."
        ]
    }
}

extension TestTimeAugmentation: ExpressibleByArgument {
    /// What each value means, shown under the option in --help.
    public static var allValueDescriptions: [String: String] {
        [
            "none": "The image alone.",
            "flip": "The image and its mirror image.",
            "flip-shift": "Those two and four one-pixel shifts."
        ]
    }
}

extension SamplingStrategy: ExpressibleByArgument {
    /// What each value means, shown under the option in --help.
    public static var allValueDescriptions: [String: String] {
        [
            "shuffle": "Every image once, in random order.",
            "oversample": "Classes repeated up to the largest class's count.",
            "undersample": "Classes cut down to the smallest class's count."
        ]
    }
}

extension SnapshotSettings.Style: ExpressibleByArgument {
    /// What each value means, shown under the option in --help.
    public static var allValueDescriptions: [String: String] {
        [
            "cosine": "Warm restarts: --epochs split into --snapshots equal cycles, a member at each cycle's end.",
            "fge": "Fast geometric ensembling: the normal run, then --snapshots short cycles of --cycle-epochs."
        ]
    }
}

extension VoteRule: ExpressibleByArgument {
    /// What each value means, shown under the option in --help.
    public static var allValueDescriptions: [String: String] {
        [
            "hard": "Members vote for their top class; most votes wins.",
            "soft": "The highest mean probability wins.",
            "weighted": "The highest weighted mean probability wins."
        ]
    }
}
