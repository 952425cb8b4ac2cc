import QuorumCore

/// One member's class probabilities on a set of samples: `count` rows of `classes` values, row-major.
public struct MemberPredictions: Sendable {
    /// The member's name, as shown in tables and reports.
    public let name: String
    /// `count × classes` probabilities, one row per sample.
    public let probabilities: [Float]
    /// The number of classes (row length).
    public let classes: Int
    /// The number of samples (rows).
    public let count: Int

    /// Wraps a member's probabilities; throws when they are not whole rows of `classes` values.
    public init(name: String, probabilities: [Float], classes: Int) throws {
        guard classes > 0, probabilities.count % classes == 0 else {
            throw EnsembleError.malformedPredictions(member: name, values: probabilities.count, classes: classes)
        }
        self.name = name
        self.probabilities = probabilities
        self.classes = classes
        self.count = probabilities.count / classes
    }

    /// The member's answer for each sample: the most probable class, the lowest index on ties.
    public var argmax: [Int32] {
        probabilities.withUnsafeBufferPointer { p in
            (0..<count).map { row in Int32(QuorumCore.argmax(p.baseAddress! + row * classes, classes).index) }
        }
    }

    /// The member's answer for one sample (lowest index on ties).
    public func argmax(of sample: Int) -> Int {
        probabilities.withUnsafeBufferPointer { p in
            QuorumCore.argmax(p.baseAddress! + sample * classes, classes).index
        }
    }
}
