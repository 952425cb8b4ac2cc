import Foundation

import QuorumCore

/// The share of the training set one ensemble member trains on (bagging): a bootstrap sample (as many draws
/// as images, with replacement) or a subsample (a share of the images, without replacement). Drawn once per
/// member from its own seed, so members differ and a re-run member sees the same images.
///
/// Text form (a job's `sample` field, `ensemble.json`'s `sample`): `bootstrap` or `subsample=F`, F in (0, 1].
public enum MemberSample: Equatable, Sendable, CustomStringConvertible {
    /// `count` draws with replacement from `count` images.
    case bootstrap
    /// ⌈share · count⌉ distinct images, share in (0, 1].
    case subsample(share: Double)

    /// Parses `bootstrap` or `subsample=F`.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed == "bootstrap" {
            self = .bootstrap
            return
        }
        if trimmed.isEmpty { throw DataSpecError.empty(form: "sample") }
        let prefix = "subsample="
        guard trimmed.hasPrefix(prefix) else {
            throw DataSpecError.unknownKey(form: "sample", key: trimmed, allowed: ["bootstrap", "subsample=F"])
        }
        let value = String(trimmed.dropFirst(prefix.count))
        guard let share = Double(value), share > 0, share <= 1 else {
            throw DataSpecError.badValue(form: "sample", key: "subsample", value: value, expected: "a share in (0, 1]")
        }
        self = .subsample(share: share)
    }

    /// The text form, which `init(parsing:)` reads back.
    public var description: String {
        switch self {
        case .bootstrap: return "bootstrap"
        case .subsample(let share): return "subsample=\(share)"
        }
    }

    /// Indices into a training set of `count` images, from `SeededGenerator(seed:, purpose: "member-sample")`:
    /// a bootstrap sample in draw order, or a subsample in ascending order.
    public func indices(count: Int, seed: UInt64) -> [Int] {
        guard count > 0 else { return [] }
        var rng = SeededGenerator(seed: seed, purpose: "member-sample")
        switch self {
        case .bootstrap:
            return (0..<count).map { _ in rng.nextInt(below: count) }
        case .subsample(let share):
            let kept = min(count, max(1, Int((share * Double(count)).rounded(.up))))
            return Shuffle.permutation(count, using: &rng).prefix(kept).sorted()
        }
    }
}
