import XCTest
@testable import QuorumEnsemble

final class ComparisonTests: XCTestCase {
    private func sample() -> EnsembleComparison {
        EnsembleComparison(
            members: [
                ComparisonMember(
                    name: "member-1", seed: 1, augmentation: "crop+flip", validationAccuracy: 0.918,
                    testAccuracy: 0.9125),
                ComparisonMember(
                    name: "member-2", seed: 2, augmentation: "crop+flip", validationAccuracy: nil, testAccuracy: 0.9173),
                ComparisonMember(
                    name: "member-3", seed: 12345, augmentation: "none", validationAccuracy: 0.92, testAccuracy: 0.9158)
            ],
            votes: [(.hard, 0.9260, 40), (.soft, 0.9268, 0), (.weighted, 0.9101, 0)],
            oracleAccuracy: 0.9626, meanDisagreement: 0.062, testCount: 10000)
    }

    func testDerivedFiguresAndGains() {
        let c = sample()
        XCTAssertEqual(c.meanAccuracy, 0.9152, accuracy: 1e-12)
        XCTAssertEqual(c.bestMember, "member-2")
        XCTAssertEqual(c.bestAccuracy, 0.9173)
        XCTAssertEqual(c.vote(.hard)!.gainOverMean, 1.08, accuracy: 1e-9)
        XCTAssertEqual(c.vote(.hard)!.gainOverBest, 0.87, accuracy: 1e-9)
        XCTAssertEqual(c.vote(.weighted)!.gainOverBest, -0.72, accuracy: 1e-9)
        XCTAssertEqual(c.tiedCount, 40)
    }

    func testTableShowsEveryFigureAligned() {
        let table = sample().table()
        for text in [
            "member-1", "12345", "crop+flip", "91.80 %", "91.25 %", "–", "92.60 %", "+1.08 pt", "+0.87 pt",
            "-0.72 pt", "96.26 %", "6.20 %", "91.52 % ± 0.25 pt", "member-2", "40", "10000 test samples"
        ] {
            XCTAssertTrue(table.contains(text), "table lacks \(text):\n\(table)")
        }
        let lines = table.split(separator: "\n").map(String.init)
        // Right-aligned test column: every member row ends at the same column as the header's "test".
        let header = lines.first { $0.contains("augmentation") }!
        for row in lines where row.contains("member-") && row.contains("%") && !row.contains("best") {
            XCTAssertEqual(row.count, header.count, "misaligned row:\n\(row)\n\(header)")
        }
        let voteHeader = lines.first { $0.contains("vs mean") }!
        for rule in ["hard", "soft", "weighted"] {
            let row = lines.first { $0.hasPrefix("  \(rule) ") }!
            XCTAssertEqual(row.count, voteHeader.count, "misaligned vote row:\n\(row)\n\(voteHeader)")
        }
    }

    func testJSONUsesSnakeCaseKeysAndRoundTrips() throws {
        let c = sample()
        let data = try c.jsonData()
        let object = try JSONSerialization.jsonObject(with: data) as! [String: Any]
        XCTAssertEqual(
            Set(object.keys),
            [
                "test_count", "members", "mean_accuracy", "std_accuracy", "best_member",
                "best_accuracy", "votes", "oracle_accuracy", "mean_disagreement",
                "tied_count", "answer_rule"
            ])
        XCTAssertEqual(object["answer_rule"] as? String, "soft")
        let firstMember = (object["members"] as! [[String: Any]])[0]
        XCTAssertEqual(Set(firstMember.keys), ["name", "seed", "augmentation", "validation_accuracy", "test_accuracy"])
        let firstVote = (object["votes"] as! [[String: Any]])[0]
        XCTAssertEqual(
            Set(firstVote.keys), ["rule", "accuracy", "gain_over_mean_pt", "gain_over_best_pt", "tied_count"])
        XCTAssertEqual(firstVote["rule"] as? String, "hard")
        XCTAssertEqual(try JSONDecoder().decode(EnsembleComparison.self, from: data), c)
    }

    func testEvaluateMeasuresMembersAndVotes() throws {
        let (predictions, labels) = try randomMembers(count: 3, samples: 300, classes: 5, seed: 21)
        let details = (0..<3).map {
            ManifestMember(
                name: "m\($0)", file: "m\($0).safetensors", seed: UInt64($0), augmentation: "none",
                validationAccuracy: 0.5, weight: Float($0 + 1))
        }
        let c = try EnsembleComparison.evaluate(members: details, predictions: predictions, labels: labels)
        XCTAssertEqual(c.members.map(\.testAccuracy), EnsembleMetrics.memberAccuracies(predictions, labels: labels))
        XCTAssertEqual(c.vote(.hard)?.accuracy, Voting.hard(predictions).accuracy(labels: labels))
        XCTAssertEqual(
            c.vote(.weighted)?.accuracy, Voting.weighted(predictions, weights: [1, 2, 3]).accuracy(labels: labels))
        XCTAssertEqual(c.tiedCount, Voting.hard(predictions).tiedCount)
        XCTAssertEqual(c.oracleAccuracy, EnsembleMetrics.oracleAccuracy(predictions, labels: labels))
        XCTAssertEqual(c.testCount, 300)
        XCTAssertThrowsError(
            try EnsembleComparison.evaluate(
                members: Array(details.prefix(2)), predictions: predictions,
                labels: labels)
        ) {
            XCTAssertEqual($0 as? EnsembleError, .detailCountMismatch(field: "members", expected: 3, found: 2))
        }
    }
}
