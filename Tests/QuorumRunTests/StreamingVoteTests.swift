import QuorumCore
import QuorumEnsemble
import XCTest
@testable import QuorumRun

/// `StreamingVote` and `StreamingSizeCurve`: members added one at a time give the in-memory vote, comparison
/// and size curve bit for bit.
final class StreamingVoteTests: XCTestCase {
    /// `m` members on `n` samples of `classes` classes. Probabilities are coarse (integers over their sum) so that
    /// members tie on top classes and votes tie on counts, which exercises every tie rule.
    private func members(_ m: Int, samples n: Int, classes: Int, seed: UInt64) throws -> (
        [MemberPredictions], [Int32]
    ) {
        var generator = SeededGenerator(seed: seed)
        let labels = (0..<n).map { _ in Int32.random(in: 0..<Int32(classes), using: &generator) }
        let members = try (0..<m).map { k -> MemberPredictions in
            var values = [Float]()
            for s in 0..<n {
                var row = (0..<classes).map { _ in Float(Int.random(in: 0...40, using: &generator)) }
                // On even samples most members lean towards the label, as an ensemble's do; odd samples are noise,
                // where votes tie.
                if s % 2 == 0 && Int.random(in: 0..<3, using: &generator) > 0 { row[Int(labels[s])] += 40 }
                let total = row.reduce(0, +)
                values += row.map { total > 0 ? $0 / total : 1 / Float(classes) }
            }
            return try MemberPredictions(name: "member-\(k)", probabilities: values, classes: classes)
        }
        return (members, labels)
    }

    private func manifest(_ members: [MemberPredictions], seed: UInt64) -> [ManifestMember] {
        var generator = SeededGenerator(seed: seed)
        return members.enumerated().map { k, member in
            let validation = Double.random(in: 0.5..<1, using: &generator)
            return ManifestMember(
                name: member.name, file: "\(member.name).safetensors", seed: UInt64(k), augmentation: "none",
                validationAccuracy: validation, testAccuracy: 0, weight: Float(validation))
        }
    }

    private func assertSameVote(_ a: VoteResult, _ b: VoteResult, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.rule, b.rule, file: file, line: line)
        XCTAssertEqual(a.predictions, b.predictions, "\(a.rule) predictions", file: file, line: line)
        XCTAssertEqual(a.votes, b.votes, "\(a.rule) votes", file: file, line: line)
        XCTAssertEqual(a.agreement.map(\.bitPattern), b.agreement.map(\.bitPattern), file: file, line: line)
        XCTAssertEqual(a.probabilities.map(\.bitPattern), b.probabilities.map(\.bitPattern), file: file, line: line)
        XCTAssertEqual(a.tiedCount, b.tiedCount, "\(a.rule) ties", file: file, line: line)
    }

    func testTwoHundredMembersAddedOneAtATimeVoteAsAllAtOnce() throws {
        let (predictions, labels) = try members(200, samples: 300, classes: 10, seed: 7)
        let described = manifest(predictions, seed: 8)
        let vote = try StreamingVote(labels: labels, classes: 10, weights: described.map(\.weight))
        for member in predictions { try vote.add(member) }
        for rule in VoteRule.allCases {
            assertSameVote(vote.result(rule), Voting.vote(predictions, rule: rule, weights: described.map(\.weight)))
        }
        XCTAssertGreaterThan(vote.result(.hard).tiedCount, 0, "the data must exercise the tie rule")

        let streamed = try vote.comparison(members: described)
        var expected = try EnsembleComparison.evaluate(members: described, predictions: predictions, labels: labels)
        XCTAssertEqual(streamed.meanDisagreement, expected.meanDisagreement, accuracy: 1e-12)
        expected.meanDisagreement = streamed.meanDisagreement
        XCTAssertEqual(streamed, expected)
    }

    func testSampledSizeCurveIsTheInMemoryCurve() throws {
        let (predictions, labels) = try members(30, samples: 120, classes: 5, seed: 11)
        let streamed = try StreamingSizeCurve.compute(
            memberCount: predictions.count, labels: labels, classes: 5, orders: 4, seed: 3
        ) { predictions[$0] }
        let expected = EnsembleMetrics.ensembleSizeCurve(predictions, labels: labels, orders: 4, seed: 3)
        XCTAssertEqual(streamed, expected)
        XCTAssertTrue(streamed.contains { !$0.exact } && streamed.contains { $0.exact })
    }

    func testExactSizeCurveEnumeratesEverySubset() throws {
        let (predictions, labels) = try members(6, samples: 80, classes: 4, seed: 5)
        var reads = 0
        let streamed = try StreamingSizeCurve.compute(memberCount: 6, labels: labels, classes: 4) {
            reads += 1
            return predictions[$0]
        }
        XCTAssertEqual(streamed, EnsembleMetrics.ensembleSizeCurve(predictions, labels: labels))
        XCTAssertTrue(streamed.allSatisfy(\.exact))
        XCTAssertEqual(reads, 6 * 32, "each of the 63 subsets reads its members once: 6 × 2^5 reads")
    }

    func testAMemberOfAnotherShapeIsRefusedByName() throws {
        let (predictions, labels) = try members(2, samples: 10, classes: 3, seed: 1)
        let vote = try StreamingVote(labels: labels, classes: 3, weights: [1, 1])
        try vote.add(predictions[0])
        let short = try MemberPredictions(name: "short", probabilities: [Float](repeating: 0.5, count: 6), classes: 3)
        XCTAssertThrowsError(try vote.add(short)) { error in
            XCTAssertTrue("\(error)".contains("'short'") && "\(error)".contains("10 samples"), "\(error)")
        }
        XCTAssertThrowsError(try StreamingVote(labels: [0, 3], classes: 3, weights: [1])) { error in
            XCTAssertTrue("\(error)".contains("label"), "\(error)")
        }
    }
}
