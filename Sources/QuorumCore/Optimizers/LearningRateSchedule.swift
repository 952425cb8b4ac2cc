import Foundation

/// How the learning rate changes over training, after any warm-up (see `ScheduleSettings`).
///
/// Text forms (the `--schedule` option):
/// - `constant`: the base rate throughout.
/// - `step:E:G`, e.g. `step:5:0.5`: the base rate times G at every E epochs (×0.5 from epoch 5, ×0.25 from 10).
/// - `cosine` or `cosine:M`, e.g. `cosine:1e-5`: half a cosine from the base rate, when the warm-up
///   ends, down to the rate M (default 0) at the last epoch.
/// - `onecycle` or `onecycle:P`, e.g. `onecycle:0.25`: PyTorch's `OneCycleLR` (cosine form): half a
///   cosine up from base/25 to the base rate over the first share P of the run (default 0.3), then half a
///   cosine down to base/25e4 at the end. It is its own warm-up, so it takes no `--warmup`.
public enum LearningRateSchedule: Codable, Equatable, Sendable, CustomStringConvertible {
    /// The base rate throughout.
    case constant
    /// The base rate times `gamma` raised to the number of whole `every`-epoch periods done.
    case step(every: Int, gamma: Float)
    /// Cosine annealing from the base rate to `minimum` over the epochs after the warm-up.
    case cosine(minimum: Float)
    /// One cycle: up from base/`initialDivisor` to the base rate over the share `peak` of the run, then
    /// down to base/(`initialDivisor`·`finalDivisor`), both halves cosine-shaped.
    case oneCycle(peak: Double)

    /// PyTorch's `div_factor`: the first rate of a one-cycle run is the base rate divided by this.
    public static let oneCycleInitialDivisor = 25.0
    /// PyTorch's `final_div_factor`: the last rate is the first rate divided by this (about 0).
    public static let oneCycleFinalDivisor = 1e4
    /// PyTorch's `pct_start`: the share of the run spent rising.
    public static let oneCycleDefaultPeak = 0.3

    /// Parses a text form; throws `OptimizerSettingsError.invalidSchedule` naming what was expected.
    public init(parsing text: String) throws {
        let parts = text.trimmingCharacters(in: .whitespaces).lowercased()
            .split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        func fail(_ expected: String) -> OptimizerSettingsError {
            .invalidSchedule(text: text, expected: expected)
        }
        switch parts[0] {
        case "constant":
            guard parts.count == 1 else { throw fail("`constant` takes no arguments") }
            self = .constant
        case "step":
            guard parts.count == 3 else { throw fail("`step:EPOCHS:GAMMA`, e.g. `step:5:0.5`") }
            guard let every = Int(parts[1]), every >= 1 else {
                throw fail("a whole number of epochs >= 1 after `step:`, got `\(parts[1])`")
            }
            guard let gamma = Float(parts[2]), gamma.isFinite, gamma > 0 else {
                throw fail("a factor > 0 as the last part of `step:EPOCHS:GAMMA`, got `\(parts[2])`")
            }
            self = .step(every: every, gamma: gamma)
        case "cosine":
            guard parts.count <= 2 else { throw fail("`cosine` or `cosine:MINIMUM`, e.g. `cosine:1e-5`") }
            guard parts.count == 2 else { self = .cosine(minimum: 0); return }
            guard let minimum = Float(parts[1]), minimum.isFinite, minimum >= 0 else {
                throw fail("a minimum rate >= 0 after `cosine:`, got `\(parts[1])`")
            }
            self = .cosine(minimum: minimum)
        case "onecycle":
            guard parts.count <= 2 else { throw fail("`onecycle` or `onecycle:PEAK_SHARE`, e.g. `onecycle:0.3`") }
            guard parts.count == 2 else { self = .oneCycle(peak: Self.oneCycleDefaultPeak); return }
            guard let peak = Double(parts[1]), peak > 0, peak < 1 else {
                throw fail("a share of the run strictly between 0 and 1 after `onecycle:`, got `\(parts[1])`")
            }
            self = .oneCycle(peak: peak)
        default:
            throw fail(
                "one of `constant`, `step:EPOCHS:GAMMA`, `cosine`, `cosine:MINIMUM`, `onecycle`, "
                    + "`onecycle:PEAK_SHARE`")
        }
    }

    /// The text form, which `init(parsing:)` reads back.
    public var description: String {
        switch self {
        case .constant: return "constant"
        case let .step(every, gamma): return "step:\(every):\(gamma)"
        case let .cosine(minimum): return minimum == 0 ? "cosine" : "cosine:\(minimum)"
        case let .oneCycle(peak): return peak == Self.oneCycleDefaultPeak ? "onecycle" : "onecycle:\(peak)"
        }
    }

    /// The rate at fractional `epoch`, ignoring warm-up; cosine runs over `start...totalEpochs`.
    func rate(base: Float, epoch: Double, start: Double, totalEpochs: Int) -> Float {
        switch self {
        case .constant:
            return base
        case let .step(every, gamma):
            let periods = (max(epoch, 0) / Double(every)).rounded(.down)
            return Float(Double(base) * pow(Double(gamma), periods))
        case let .cosine(minimum):
            let span = Double(totalEpochs) - start
            let t = span > 0 ? min(max((epoch - start) / span, 0), 1) : (epoch >= start ? 1 : 0)
            let lo = Double(minimum), hi = Double(base)
            return Float(lo + (hi - lo) * (1 + cos(Double.pi * t)) / 2)
        case let .oneCycle(peak):
            let top = Double(base), first = top / Self.oneCycleInitialDivisor, last = first / Self.oneCycleFinalDivisor
            let t = totalEpochs > 0 ? min(max(epoch / Double(totalEpochs), 0), 1) : 1
            // PyTorch's cosine annealing from `from` to `to` as `x` goes 0 → 1.
            func anneal(_ from: Double, _ to: Double, _ x: Double) -> Double {
                to + (from - to) * (1 + cos(Double.pi * x)) / 2
            }
            return Float(t < peak ? anneal(first, top, t / peak) : anneal(top, last, (t - peak) / (1 - peak)))
        }
    }
}
