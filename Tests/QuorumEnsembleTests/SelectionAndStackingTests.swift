import QuorumCore
import XCTest

@testable import QuorumEnsemble

/// Ensemble selection (greedy, with replacement) and stacked weights, on validation predictions.
final class SelectionAndStackingTests: XCTestCase {
    /// Two classes; `right` is each sample's probability of its label (class 0 for every sample).
    private func member(_ name: String, _ right: [Float]) throws -> MemberPredictions {
        try MemberPredictions(name: name, probabilities: right.flatMap { [$0, 1 - $0] }, classes: 2)
    }

    func testGreedySelectionPicksTheMembersAHandMadeCaseCallsFor() throws {
        // a is right on samples 0-3, b on 4-5 (and confident there), c never: a first (4 of 6), then b (the
        // pair is right on all 6), then a again (a and b tie at 6 of 6; adding a gives the lower log-loss).
        let a = try member("a", [0.9, 0.9, 0.9, 0.9, 0.4, 0.4])
        let b = try member("b", [0.45, 0.45, 0.45, 0.45, 0.95, 0.95])
        let c = try member("c", [0.1, 0.1, 0.1, 0.1, 0.1, 0.1])
        let labels = [Int32](repeating: 0, count: 6)
        XCTAssertEqual(try EnsembleSelection.greedy([a, b, c], labels: labels, size: 1), [1, 0, 0])
        XCTAssertEqual(try EnsembleSelection.greedy([a, b, c], labels: labels, size: 2), [1, 1, 0])
        XCTAssertEqual(try EnsembleSelection.greedy([a, b, c], labels: labels, size: 3), [2, 1, 0])
        XCTAssertEqual(try EnsembleSelection.greedy([c, b, a], labels: labels, size: 3), [0, 1, 2], "not by position")
        XCTAssertThrowsError(try EnsembleSelection.greedy([a], labels: labels, size: 0))
        XCTAssertThrowsError(try EnsembleSelection.greedy([a], labels: [0, 1], size: 1))
    }

    func testStackedWeightsImproveTheValidationLogLossWhenOneMemberIsNoise() throws {
        var rng = SeededGenerator(seed: 11)
        let n = 400, c = 4
        let labels = (0..<n).map { _ in Int32(rng.nextInt(below: c)) }
        /// Rows that put `share` of the mass on the label (plus jitter), or pure noise when `share` is nil.
        func rows(_ share: Float?) throws -> [Float] {
            var values: [Float] = []
            for s in 0..<n {
                var row = (0..<c).map { _ in rng.nextUniform() + 0.01 }
                if let share {
                    row = row.map { $0 * (1 - share) / Float(c) }
                    row[Int(labels[s])] += share * (rng.nextUniform() < 0.8 ? 1 : 0.2)
                }
                let sum = row.reduce(0, +)
                values += row.map { $0 / sum }
            }
            return values
        }
        let members = [
            try MemberPredictions(name: "good", probabilities: rows(0.7), classes: c),
            try MemberPredictions(name: "fair", probabilities: rows(0.5), classes: c),
            try MemberPredictions(name: "noise", probabilities: rows(nil), classes: c)
        ]
        let weights = try StackedWeights.fit(members, labels: labels)
        XCTAssertEqual(weights.count, 3)
        XCTAssertEqual(Double(weights.reduce(0, +)), 3, accuracy: 1e-4)
        XCTAssertLessThan(weights[2], 0.1 * weights[0], "the noise member is all but dropped: \(weights)")
        let equal = StackedWeights.voteLogLoss(members, labels: labels, weights: [1, 1, 1])
        let stacked = StackedWeights.voteLogLoss(members, labels: labels, weights: weights)
        XCTAssertLessThan(stacked, equal - 0.05, "validation log-loss \(stacked) vs \(equal) with equal weights")
    }

    func testTheSolverSolvesASmallSystem() throws {
        let x = try XCTUnwrap(StackedWeights.solve([0, 2, 1, 1], [4, 3], size: 2))
        XCTAssertEqual(x[0], 1, accuracy: 1e-12)
        XCTAssertEqual(x[1], 2, accuracy: 1e-12)
        XCTAssertNil(StackedWeights.solve([1, 2, 2, 4], [1, 1], size: 2))
    }
}
