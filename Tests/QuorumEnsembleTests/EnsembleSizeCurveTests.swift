import XCTest
@testable import QuorumEnsemble
import QuorumCore

final class EnsembleSizeCurveTests: XCTestCase {
    func testEndsMatchMeanMemberAndFullVote() throws {
        let (members, labels) = try randomMembers(count: 5, samples: 400, classes: 4, seed: 11)
        let curve = EnsembleMetrics.ensembleSizeCurve(members, labels: labels)
        XCTAssertEqual(curve.map(\.size), [1, 2, 3, 4, 5])
        XCTAssertEqual(curve.map(\.subsets), [5, 10, 10, 5, 1], "C(5, k) subsets, all exact")
        XCTAssertTrue(curve.allSatisfy(\.exact))

        let meanMember = EnsembleMetrics.memberAccuracies(members, labels: labels).reduce(0, +) / 5
        XCTAssertEqual(curve[0].hardAccuracy, meanMember, accuracy: 1e-12)
        XCTAssertEqual(curve[0].softAccuracy, meanMember, accuracy: 1e-12)
        XCTAssertEqual(curve[4].hardAccuracy, Voting.hard(members).accuracy(labels: labels))
        XCTAssertEqual(curve[4].softAccuracy, Voting.soft(members).accuracy(labels: labels))
        XCTAssertGreaterThan(curve[4].softAccuracy, curve[0].softAccuracy, "voting helps these noisy members")
    }

    func testSubsetAveragesMatchVotingOnEachSubset() throws {
        let (members, labels) = try randomMembers(count: 4, samples: 200, classes: 3, seed: 5)
        let curve = EnsembleMetrics.ensembleSizeCurve(members, labels: labels)
        let pairs = EnsembleMetrics.combinations(4, 2)
        let hard = pairs.map { Voting.hard($0.map { members[$0] }).accuracy(labels: labels) }.reduce(0, +) / 6
        let soft = pairs.map { Voting.soft($0.map { members[$0] }).accuracy(labels: labels) }.reduce(0, +) / 6
        XCTAssertEqual(curve[1].hardAccuracy, hard, accuracy: 1e-12)
        XCTAssertEqual(curve[1].softAccuracy, soft, accuracy: 1e-12)
    }

    func testLargeEnsemblesSampleSeededOrders() throws {
        let (members, labels) = try randomMembers(count: 9, samples: 120, classes: 3, seed: 8)
        let curve = EnsembleMetrics.ensembleSizeCurve(members, labels: labels, orders: 4, seed: 42)
        XCTAssertEqual(
            curve.map(\.exact), [true, true, false, false, false, false, true, true, true],
            "C(9, k) ≤ 50 only for k = 1, 2, 7, 8, 9")
        XCTAssertEqual(curve[3].subsets, 4)
        XCTAssertEqual(
            curve, EnsembleMetrics.ensembleSizeCurve(members, labels: labels, orders: 4, seed: 42),
            "same seed, same curve")
        XCTAssertEqual(curve[8].hardAccuracy, Voting.hard(members).accuracy(labels: labels))

        // Size 4 is the mean over the first four members of each of the seeded orders.
        var g = SeededGenerator(seed: 42, purpose: "ensemble-size")
        let orders = (0..<4).map { _ in Array(0..<9).shuffled(using: &g) }
        let expected =
            orders.map { Voting.soft($0.prefix(4).map { members[$0] }).accuracy(labels: labels) }.reduce(0, +) / 4
        XCTAssertEqual(curve[3].softAccuracy, expected, accuracy: 1e-12)
    }
}
