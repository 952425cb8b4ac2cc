import XCTest
@testable import QuorumEnsemble

final class VotingTests: XCTestCase {
    func testHardVoteMajorityWinsWithCountsAndAgreement() throws {
        let members = try [
            member("a", [[0.7, 0.2, 0.1], [0.1, 0.1, 0.8]]),
            member("b", [[0.6, 0.3, 0.1], [0.2, 0.7, 0.1]]),
            member("c", [[0.1, 0.8, 0.1], [0.1, 0.2, 0.7]])
        ]
        let result = Voting.hard(members)
        XCTAssertEqual(result.predictions, [0, 2])
        XCTAssertEqual(Array(result.votes(of: 0)), [2, 1, 0])
        XCTAssertEqual(Array(result.votes(of: 1)), [0, 1, 2])
        XCTAssertEqual(result.agreement, [2.0 / 3, 2.0 / 3])
        XCTAssertEqual(result.tiedCount, 0)
        XCTAssertEqual(result.probabilities[0], (0.7 + 0.6 + 0.1) / 3, accuracy: 1e-6)
    }

    func testTwoTwoSplitIsDecidedByMeanProbabilityNotIndex() throws {
        // Two members vote class 0, two vote class 1; class 1 has the higher mean probability.
        let members = try [
            member("a", [[0.6, 0.4, 0.0]]),
            member("b", [[0.5, 0.45, 0.05]]),
            member("c", [[0.1, 0.9, 0.0]]),
            member("d", [[0.3, 0.7, 0.0]])
        ]
        let result = Voting.hard(members)
        XCTAssertEqual(result.predictions, [1])
        XCTAssertEqual(result.tiedCount, 1)
        XCTAssertEqual(result.agreement, [0.5])
    }

    func testFullTieFallsBackToLowestClassIndex() throws {
        // Votes split 1–1 between classes 2 and 1 and their probability sums are equal.
        let members = try [member("a", [[0, 0.25, 0.75]]), member("b", [[0, 0.75, 0.25]])]
        let result = Voting.hard(members)
        XCTAssertEqual(result.predictions, [1])
        XCTAssertEqual(result.tiedCount, 1)
    }

    func testTieBelowTheTopCountIsNotATie() throws {
        let rows: [[Float]] = [[0.9, 0.1, 0], [0.9, 0.1, 0], [0.9, 0.1, 0], [0.1, 0.9, 0], [0.1, 0, 0.9]]
        let members = try rows.enumerated().map { try member("m\($0.offset)", [$0.element]) }
        let result = Voting.hard(members)
        XCTAssertEqual(result.predictions, [0])
        XCTAssertEqual(result.tiedCount, 0)
        XCTAssertEqual(result.agreement, [0.6])
    }

    func testSoftVoteFollowsMeanProbabilityWhereHardVoteDoesNot() throws {
        let members = try [
            member("a", [[0.625, 0.375]]),
            member("b", [[0.625, 0.375]]),
            member("c", [[0.0, 1.0]])
        ]
        XCTAssertEqual(Voting.hard(members).predictions, [0])
        let soft = Voting.soft(members)
        XCTAssertEqual(soft.predictions, [1])
        XCTAssertEqual(soft.probabilities[0], 1.25 / 3, accuracy: 1e-6)
        XCTAssertEqual(soft.probabilities[1], 1.75 / 3, accuracy: 1e-6)
        XCTAssertEqual(soft.agreement, [1.0 / 3], "one of three members had class 1 on top")
        XCTAssertEqual(soft.rule, .soft)
    }

    func testWeightedVoteNormalisesWeights() throws {
        let members = try [member("a", [[0.625, 0.375]]), member("b", [[0.625, 0.375]]), member("c", [[0.0, 1.0]])]
        // Weight on the confident dissenter decides.
        XCTAssertEqual(Voting.weighted(members, weights: [1, 1, 0]).predictions, [0])
        XCTAssertEqual(Voting.weighted(members, weights: [1, 1, 6]).predictions, [1])
        let small = Voting.weighted(members, weights: [1, 1, 2])
        let large = Voting.weighted(members, weights: [10, 10, 20])
        XCTAssertEqual(small.probabilities, large.probabilities)
        XCTAssertEqual(small.probabilities[0], (0.625 + 0.625) / 4, accuracy: 1e-6)
        XCTAssertEqual(small.probabilities.reduce(0, +), 1, accuracy: 1e-6)
        // Equal weights give the soft vote.
        XCTAssertEqual(Voting.weighted(members, weights: [3, 3, 3]).predictions, Voting.soft(members).predictions)
    }

    func testArgmaxTakesLowestIndexOnTies() throws {
        let m = try member("a", [[0.25, 0.5, 0.5, 0], [0.1, 0.1, 0.1, 0.1]])
        XCTAssertEqual(m.argmax, [1, 0])
        XCTAssertEqual(m.argmax(of: 0), 1)
        XCTAssertEqual(m.count, 2)
    }

    func testValidationNamesTheProblem() throws {
        XCTAssertThrowsError(try MemberPredictions(name: "seed-7", probabilities: [0.1, 0.2, 0.7, 0.5], classes: 3)) {
            XCTAssertTrue("\($0)".contains("seed-7"), "\($0)")
        }
        let a = try member("a", [[0.5, 0.5]]), b = try member("b", [[0.5, 0.5], [0.2, 0.8]])
        XCTAssertThrowsError(try Voting.validate([a, b])) {
            XCTAssertEqual(
                $0 as? EnsembleError,
                .shapeMismatch(member: "b", expected: "1 samples × 2 classes", found: "2 samples × 2 classes"))
        }
        XCTAssertThrowsError(try Voting.validate([])) { XCTAssertEqual($0 as? EnsembleError, .noMembers) }
        XCTAssertThrowsError(try Voting.validate([a], labels: [2])) {
            XCTAssertEqual($0 as? EnsembleError, .labelOutOfRange(index: 0, label: 2, classes: 2))
        }
        XCTAssertThrowsError(try Voting.validate([a], labels: [0, 1])) {
            XCTAssertEqual($0 as? EnsembleError, .labelCountMismatch(expected: 1, found: 2))
        }
        XCTAssertThrowsError(try Voting.validate(weights: [0, 0], memberCount: 2)) {
            XCTAssertTrue("\($0)".contains("weights"))
        }
        XCTAssertThrowsError(try Voting.validate(weights: [1, -1], memberCount: 2))
        XCTAssertThrowsError(try Voting.validate(weights: [1], memberCount: 2))
        XCTAssertNoThrow(try Voting.validate(weights: [0, 0.5], memberCount: 2))
    }

    func testVoteDispatchesOnRule() throws {
        let (members, _) = try randomMembers(count: 3, samples: 50, classes: 4, seed: 3)
        XCTAssertEqual(Voting.vote(members, rule: .hard).predictions, Voting.hard(members).predictions)
        XCTAssertEqual(Voting.vote(members, rule: .soft).predictions, Voting.soft(members).predictions)
        XCTAssertEqual(
            Voting.vote(members, rule: .weighted, weights: [1, 2, 3]).predictions,
            Voting.weighted(members, weights: [1, 2, 3]).predictions)
        XCTAssertEqual(VoteRule.allCases.map(\.rawValue), ["hard", "soft", "weighted"])
    }
}
