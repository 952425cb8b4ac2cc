import Foundation

/// Per-class weights for the loss, so rare classes count for more.
///
/// Text form: `balanced` (weight n / (k · count_c), as scikit-learn's `class_weight="balanced"`), or
/// `w0,w1,...` with one non-negative weight per class.
public enum ClassWeights: Codable, Equatable, Sendable, CustomStringConvertible {
    /// n / (k · count_c): every class contributes equally to the loss in total.
    case balanced
    /// One weight per class, by label.
    case explicit([Float])

    /// Parses the text form, checking an explicit list against `classes`.
    public init(parsing text: String, classes: Int) throws {
        let form = "class weights '\(text)'"
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { throw DataSpecError.empty(form: "class weights") }
        if trimmed == "balanced" { self = .balanced; return }
        var weights: [Float] = []
        for (i, item) in trimmed.split(separator: ",", omittingEmptySubsequences: false).enumerated() {
            let v = item.trimmingCharacters(in: .whitespaces)
            guard let w = Float(v), w.isFinite, w >= 0 else {
                throw DataSpecError.badValue(
                    form: form, key: "class \(i)", value: v,
                    expected: "`balanced` or a non-negative number per class")
            }
            weights.append(w)
        }
        guard weights.count == classes else {
            throw DataSpecError.wrongCount(form: form, found: weights.count, expected: classes)
        }
        guard weights.contains(where: { $0 > 0 }) else {
            throw DataSpecError.badValue(
                form: form, key: "weights", value: trimmed, expected: "at least one weight above 0")
        }
        self = .explicit(weights)
    }

    /// The weight of each class given the training set's class counts. With `balanced`, a class with no
    /// images gets weight 0 (it never appears in the loss anyway).
    public func weights(classCounts counts: [Int]) -> [Float] {
        switch self {
        case .explicit(let w):
            return w
        case .balanced:
            let n = Float(counts.reduce(0, +)), k = Float(counts.count)
            return counts.map { $0 > 0 ? n / (k * Float($0)) : 0 }
        }
    }

    /// The text form.
    public var description: String {
        switch self {
        case .balanced: return "balanced"
        case .explicit(let w): return w.map { "\($0)" }.joined(separator: ",")
        }
    }
}
