import Foundation
import QuorumCore
import QuorumData
import XCTest

/// `quorum ensemble create`, `vote`, `evaluate --ensemble`, `report` and `plot-model` on a tiny ensemble:
/// three `mlp` members trained one epoch on 1,000 Fashion-MNIST images with seeds 1, 2 and 3.
final class VoteCommandTests: XCTestCase {
    /// Shared by every test: training the members once keeps the suite fast.
    private static var shared: URL?
    private var dir: URL { Self.shared! }
    private var ensemble: String { dir.appendingPathComponent("ensemble").path }
    private static let testImages = "/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz"
    private static let testLabels = "/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz"

    override func setUpWithError() throws {
        try CLIRunner.requireFashionMNIST()
        if Self.shared != nil { return }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("quorum-vote-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        Self.shared = dir
        for seed in 1...3 {
            let out = try CLIRunner.run(
                [
                    "train", "--model", "mlp", "--epochs", "1", "--train-limit", "1000", "--test-limit", "100", "--tta",
                    "none",
                    "--validation-size", "200", "--seed", "\(seed)", "--quiet",
                    "--out", dir.appendingPathComponent("member\(seed).safetensors").path
                ], in: dir)
            XCTAssertEqual(out.status, 0, out.stderr)
        }
        let create = try CLIRunner.run(
            ["ensemble", "create", "--out", dir.appendingPathComponent("ensemble").path, "--members"]
                + (1...3).map { dir.appendingPathComponent("member\($0).safetensors").path }, in: dir)
        XCTAssertEqual(create.status, 0, create.stderr)
        // Ten fixed test images with their labels beside them, named so that the labels are found.
        let images = try IDXReader.readImages(path: Self.testImages)
        let labels = try IDXReader.readLabels(path: Self.testLabels)
        let picks = [0, 1, 2, 3, 4, 17, 42, 99, 512, 9999]
        var idx: [UInt8] = [0, 0, 8, 3, 0, 0, 0, UInt8(picks.count), 0, 0, 0, 28, 0, 0, 0, 28]
        for i in picks { idx += images.pixels[(i * 784)..<((i + 1) * 784)] }
        try Data(idx).write(to: dir.appendingPathComponent("ten-images-idx3-ubyte"))
        try Data([0, 0, 8, 1, 0, 0, 0, UInt8(picks.count)] + picks.map { UInt8(labels[$0]) })
            .write(to: dir.appendingPathComponent("ten-labels-idx1-ubyte"))
    }

    override class func tearDown() {
        if let dir = shared { try? FileManager.default.removeItem(at: dir) }
        shared = nil
    }

    private func json(_ text: String) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], text)
    }

    func testCreatedEnsembleRecordsMembersAndHistories() throws {
        let manifest = try json(String(contentsOfFile: ensemble + "/ensemble.json", encoding: .utf8))
        let members = try XCTUnwrap(manifest["members"] as? [[String: Any]])
        XCTAssertEqual(members.map { $0["seed"] as? Int }, [1, 2, 3])
        XCTAssertEqual(members.map { $0["weight"] as? Double }, [1, 1, 1])
        XCTAssertTrue(members.allSatisfy { ($0["validation_accuracy"] as? Double ?? 0) > 0.3 }, "\(members)")
        XCTAssertTrue(FileManager.default.fileExists(atPath: ensemble + "/member2.history.json"))

        let clash = try CLIRunner.run(
            [
                "ensemble", "create", "--out", ensemble, "--members",
                dir.appendingPathComponent("member1.safetensors").path
            ], in: dir)
        XCTAssertNotEqual(clash.status, 0, "an existing ensemble is not overwritten")
        let badWeights = try CLIRunner.run(
            [
                "ensemble", "create", "--out", dir.appendingPathComponent("x").path, "--weights", "1",
                "--members", dir.appendingPathComponent("member1.safetensors").path,
                dir.appendingPathComponent("member2.safetensors").path
            ], in: dir)
        XCTAssertNotEqual(badWeights.status, 0)
        XCTAssertTrue(badWeights.stderr.contains("one per member"), badWeights.stderr)
    }

    /// The golden test: the vote on ten fixed images equals the vote computed here from each member's own probabilities.
    func testVoteMatchesTheMembersOwnProbabilities() throws {
        let input = dir.appendingPathComponent("ten-images-idx3-ubyte").path
        let out = try CLIRunner.run(["vote", "--ensemble", ensemble, "--input", input, "--json"], in: dir)
        XCTAssertEqual(out.status, 0, out.stderr)
        let report = try json(out.stdout)
        let answers = try XCTUnwrap(((report["inputs"] as? [[String: Any]])?.first?["answers"]) as? [[String: Any]])
        XCTAssertEqual(answers.count, 10)

        let images = try IDXReader.readImages(path: input)
        let labels = try IDXReader.readLabels(path: dir.appendingPathComponent("ten-labels-idx1-ubyte").path)
        var probabilities: [[[Double]]] = []  // [member][image][class]
        for k in 1...3 {
            let (model, meta) = try ModelFile.load(path: ensemble + "/member\(k).safetensors")
            let x = Tensor(
                shape: [10, 28, 28, 1],
                values: images.pixels.map { (Float($0) / 255 - meta.normalizationMean[0]) / meta.normalizationStd[0] })
            let logits = model.forward(x, training: false).array.map(Double.init)
            probabilities.append(
                (0..<10).map { i in
                    let row = Array(logits[(i * 10)..<((i + 1) * 10)]), top = row.max()!
                    let e = row.map { Foundation.exp($0 - top) }, total = e.reduce(0, +)
                    return e.map { $0 / total }
                })
        }
        var right = 0
        for i in 0..<10 {
            var votes = [Int](repeating: 0, count: 10), mean = [Double](repeating: 0, count: 10)
            for k in 0..<3 {
                let p = probabilities[k][i]
                votes[p.firstIndex(of: p.max()!)!] += 1
                for c in 0..<10 { mean[c] += p[c] / 3 }
            }
            // Most votes; among tied classes the highest mean probability; then the lowest index.
            let expected = (0..<10).max { a, b in (votes[a], mean[a], -a) < (votes[b], mean[b], -b) }!
            let answer = answers[i]
            XCTAssertEqual(answer["class"] as? Int, expected, "image \(i)")
            XCTAssertEqual((answer["votes"] as? [String: Int])?.values.reduce(0, +), 3)
            XCTAssertEqual(answer["agreement"] as? Double ?? -1, Double(votes[expected]) / 3, accuracy: 1e-6)
            XCTAssertEqual(answer["probability"] as? Double ?? -1, mean[expected], accuracy: 1e-4)
            XCTAssertEqual(answer["label"] as? Int, Int(labels[i]), "labels found beside the images")
            if expected == Int(labels[i]) { right += 1 }
        }
        let summary = try XCTUnwrap(report["summary"] as? [String: Any])
        XCTAssertEqual(summary["accuracy"] as? Double ?? -1, Double(right) / 10, accuracy: 1e-9)
        XCTAssertEqual(summary["images"] as? Int, 10)
    }

    func testCorruptInputIsNamedAndTheOthersAreStillAnswered() throws {
        let bad = dir.appendingPathComponent("broken.png")
        try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0]).write(to: bad)
        let pgm = dir.appendingPathComponent("plain.pgm")
        try Data(Array("P5 28 28 255\n".utf8) + [UInt8](repeating: 40, count: 784)).write(to: pgm)
        let out = try CLIRunner.run(
            ["vote", "--ensemble", ensemble, "--input", bad.path, pgm.path, "--rule", "soft"], in: dir)
        XCTAssertNotEqual(out.status, 0, "a failed input makes the exit status non-zero")
        XCTAssertTrue(out.stderr.contains("broken.png"), out.stderr)
        XCTAssertTrue(out.stdout.contains("plain.pgm  "), out.stdout)
        XCTAssertTrue(out.stdout.contains("1 image from 1 of 2 inputs; soft vote of 3 members"), out.stdout)
    }

    func testLongOutputIsLimitedButTheSummaryIsAlwaysPrinted() throws {
        let out = try CLIRunner.run(
            ["vote", "--ensemble", ensemble, "--input", Self.testImages, "--limit-output", "3"], in: dir)
        XCTAssertEqual(out.status, 0, out.stderr)
        let lines = out.stdout.split(separator: "\n")
        XCTAssertEqual(lines.filter { $0.contains("agreement") }.count, 3)
        XCTAssertTrue(out.stdout.contains("9997 more answers not shown"), out.stdout)
        XCTAssertTrue(out.stdout.contains("accuracy: "), "labels found beside the gzip images")
        XCTAssertTrue(out.stdout.contains("10000 images"), out.stdout)
    }

    func testEvaluateEnsembleReportsVotesDisagreementAndSizeCurve() throws {
        let out = try CLIRunner.run(["evaluate", "--ensemble", ensemble, "--test-limit", "500", "--json"], in: dir)
        XCTAssertEqual(out.status, 0, out.stderr)
        let evaluation = try XCTUnwrap(try json(out.stdout)["evaluation"] as? [String: Any])
        let comparison = try XCTUnwrap(evaluation["comparison"] as? [String: Any])
        XCTAssertEqual(
            (comparison["votes"] as? [[String: Any]])?.compactMap { $0["rule"] as? String },
            ["hard", "soft", "weighted"])
        XCTAssertEqual((evaluation["disagreement"] as? [[Double]])?.count, 3)
        XCTAssertEqual((evaluation["size_curve"] as? [[String: Any]])?.count, 3)
        let confusion = try XCTUnwrap((evaluation["confusion_matrices"] as? [String: [[Int]]])?["hard"])
        XCTAssertEqual(confusion.flatMap { $0 }.reduce(0, +), 500)

        let text = try CLIRunner.run(["evaluate", "--ensemble", ensemble, "--test-limit", "500"], in: dir)
        XCTAssertTrue(
            text.stdout.contains("Pairwise disagreement") && text.stdout.contains("Accuracy against ensemble size"),
            text.stdout)
        let both = try CLIRunner.run(["evaluate", "--ensemble", ensemble, "--model", "x.safetensors"], in: dir)
        XCTAssertNotEqual(both.status, 0)
    }

    func testReportAndPlotModel() throws {
        let out = try CLIRunner.run(["report", ensemble, "--test-limit", "300"], in: dir)
        XCTAssertEqual(out.status, 0, out.stderr)
        let html = try String(contentsOfFile: ensemble + "/report.html", encoding: .utf8)
        for id in ["summary", "learning-curves", "members-vs-vote", "confusion-matrix", "ensemble-size", "model-graph"]
        {
            XCTAssertTrue(html.contains("<section id=\"\(id)\">"), id)
        }
        XCTAssertTrue(
            html.contains("member1 validation, epoch 1"), "histories copied by 'ensemble create' give learning curves")
        XCTAssertTrue(html.contains("<dt>batch size</dt>"), "the overview reads the members' settings from their files")

        let svg = dir.appendingPathComponent("g.svg").path, dot = dir.appendingPathComponent("g.dot").path
        XCTAssertEqual(try CLIRunner.run(["plot-model", "--model", "cnn-a", "--out", svg], in: dir).status, 0)
        XCTAssertTrue(try String(contentsOfFile: svg, encoding: .utf8).contains("421,642 parameters"))
        XCTAssertEqual(
            try CLIRunner.run(["plot-model", "--model", ensemble + "/member1.safetensors", "--out", dot], in: dir)
                .status, 0)
        XCTAssertTrue(try String(contentsOfFile: dot, encoding: .utf8).contains("dense(256)"))
        let png = dir.appendingPathComponent("g.png").path
        let rendered = try CLIRunner.run(["plot-model", "--model", "mlp", "--out", png], in: dir)
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/dot") {
            XCTAssertEqual(rendered.status, 0, rendered.stderr)
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: png)).prefix(4), Data([0x89, 0x50, 0x4E, 0x47]))
        } else {
            XCTAssertTrue(rendered.stderr.contains("graphviz"), rendered.stderr)
        }
    }

    func testRunReportsCarryTheModelGraphAndCanBeWrittenAgain() throws {
        let run = dir.appendingPathComponent("run")
        let local = try CLIRunner.run(
            [
                "local", "--run-dir", run.path, "--members", "2", "--workers", "1", "--model", "mlp",
                "--epochs", "1", "--train-limit", "1000", "--test-limit", "200", "--validation-size", "200",
                "--quiet"
            ], in: dir)
        XCTAssertEqual(local.status, 0, local.stderr)
        let reportPath = run.appendingPathComponent("report.html").path
        let first = try String(contentsOfFile: reportPath, encoding: .utf8)
        XCTAssertTrue(first.contains("<section id=\"model-graph\">"))
        XCTAssertTrue(first.contains("dense(256)"), "the graph names the members' layers")
        try FileManager.default.removeItem(atPath: reportPath)

        let again = try CLIRunner.run(["report", run.path], in: dir)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("report.html"), again.stdout)
        let second = try String(contentsOfFile: reportPath, encoding: .utf8)
        for id in ["summary", "learning-curves", "members-vs-vote", "confusion-matrix", "ensemble-size", "model-graph"]
        {
            XCTAssertTrue(second.contains("<section id=\"\(id)\">"), id)
        }
        let vote = try CLIRunner.run(
            ["vote", "--ensemble", run.path, "--input", dir.appendingPathComponent("ten-images-idx3-ubyte").path],
            in: dir)
        XCTAssertEqual(vote.status, 0, vote.stderr)
        XCTAssertTrue(vote.stdout.contains("soft vote of 2 members"), vote.stdout)
    }
}
