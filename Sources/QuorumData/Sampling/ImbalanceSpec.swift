import Foundation
import QuorumCore

/// Which classes to thin out to make an imbalanced copy of a training set, for experiments on imbalance.
///
/// Text form: `CLASS=FRACTION,...`, e.g. `0=0.1,3=0.05` keeps 10 % of class 0 and 5 % of class 3 and
/// every image of the other classes. Fractions lie in [0, 1].
public struct ImbalanceSpec: Codable, Equatable, Sendable, CustomStringConvertible {
    /// The fraction of each named class to keep.
    public var fractions: [Int: Double]

    /// A spec keeping `fractions[c]` of each class c.
    public init(fractions: [Int: Double]) { self.fractions = fractions }

    /// Parses the text form.
    public init(parsing text: String) throws {
        let form = "imbalance '\(text)'"
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { throw DataSpecError.empty(form: "imbalance") }
        var fractions: [Int: Double] = [:]
        for item in trimmed.split(separator: ",", omittingEmptySubsequences: false) {
            let kv = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                .map { $0.trimmingCharacters(in: .whitespaces) }
            guard kv.count == 2 else {
                throw DataSpecError.badValue(form: form, key: kv[0], value: "", expected: "CLASS=FRACTION")
            }
            guard let c = Int(kv[0]), c >= 0 else {
                throw DataSpecError.badValue(
                    form: form, key: kv[0], value: kv[1], expected: "a class number ≥ 0 before '='")
            }
            guard let f = Double(kv[1]), f >= 0, f <= 1 else {
                throw DataSpecError.badValue(form: form, key: kv[0], value: kv[1], expected: "a fraction in 0…1")
            }
            guard fractions[c] == nil else { throw DataSpecError.duplicateKey(form: form, key: kv[0]) }
            fractions[c] = f
        }
        self.fractions = fractions
    }

    /// The text form, classes in ascending order.
    public var description: String {
        fractions.keys.sorted().map { "\($0)=\(fractions[$0]!)" }.joined(separator: ",")
    }

    /// A copy of `d` keeping round(fraction × count) images of each named class, chosen by
    /// `SeededGenerator(seed:, purpose: "imbalance")`; the images kept stay in their original order.
    public func apply(to d: Dataset, seed: UInt64) throws -> Dataset {
        for c in fractions.keys where c >= d.numClasses {
            throw DataSpecError.badValue(
                form: "imbalance '\(description)'", key: String(c), value: "\(fractions[c]!)",
                expected: "a class below \(d.numClasses) in \(d.name)")
        }
        var rng = SeededGenerator(seed: seed, purpose: "imbalance")
        var keep = [Bool](repeating: true, count: d.count)
        let groups = indicesByClass(d.labels)
        for c in fractions.keys.sorted() where c < groups.count {
            var members = groups[c]
            let kept = Int((fractions[c]! * Double(members.count)).rounded())
            Shuffle.shuffle(&members, using: &rng)
            for i in members.dropFirst(kept) { keep[i] = false }
        }
        return d.subset(d.labels.indices.filter { keep[$0] })
    }
}
