import ArgumentParser
import Foundation
import QuorumCore
import QuorumData
import QuorumEnsemble
import QuorumRun
import QuorumTraining

extension Quorum {
    /// `quorum report`: the HTML report of a run directory or an ensemble folder.
    struct Report: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write report.html for a run directory or an ensemble folder.",
            discussion: """
                One self-contained HTML file with inline SVG, readable from phone width up: an overview with \
                conclusions, learning curves of all members with over/under-fitting flagged, members against \
                votes, the answer vote's confusion matrix with recall, accuracy against ensemble size with its \
                spread, and the model's graph. A run directory (plan.json) is scored with its stored test predictions on the \
                run's own data; an ensemble folder is scored on --data's test images.
                """)

        @Argument(help: "A run directory (from 'quorum local' or 'quorum coordinator') or an ensemble folder.")
        var directory: String

        @Option(help: "Data set for an ensemble folder: 'fashion-mnist', a folder, or explicit files.")
        var data: String = "fashion-mnist"

        @Option(help: "Score an ensemble folder on the first N test images only.")
        var testLimit: Int?

        @Option(help: "Threads for scoring an ensemble folder.")
        var threads: Int = ProcessInfo.processInfo.activeProcessorCount

        @Option(help: "Where to write the report (default: DIRECTORY/report.html).")
        var out: String?

        func run() throws {
            let dir = URL(fileURLWithPath: directory)
            let isRun = RunDirectory.hasPlan(at: dir.path)
            let path = isRun ? try runReport(dir) : try ensembleReport(dir)
            print("report \(path)")
        }

        /// A run directory: the run's summary step again, which rewrites summary.json, ensemble.json and the
        /// report; with --out only the report, written there.
        private func runReport(_ dir: URL) throws -> String {
            let directory = try RunDirectory(path: dir.path)
            let plan = try directory.readPlan()
            let data = try PreparedData.load(for: plan.members[0].config)
            let previous = try? EnsembleManifest.load(from: dir)
            let summary =
                (try? JSONSerialization.jsonObject(with: Data(contentsOf: dir.appendingPathComponent("summary.json"))))
                as? [String: Any]
            let result = try RunSummary(directory: directory, plan: plan).finish(
                data: data,
                command: previous?.provenance.command ?? "quorum report \(directory.url.path)",
                wallSeconds: (summary?["wall_seconds"] as? NSNumber)?.doubleValue,
                reportOnly: out.map { URL(fileURLWithPath: $0) })
            return result.reportPath
        }

        /// An ensemble folder: score every member on the test images, then build the report.
        private func ensembleReport(_ dir: URL) throws -> String {
            let predictor = try EnsemblePredictor(directory: dir)
            let manifest = predictor.manifest
            let test = try TestImages.load(
                data: data, limit: testLimit, inputShape: manifest.inputShape,
                classes: predictor.classes, subject: directory)
            let predictions = predictor.predict(
                ImageArray(imageShape: test.imageShape, pixels: test.pixels, count: test.count),
                threads: threads)
            // The table's answer is the ensemble's own vote rule, so that the confusion matrix below shows it.
            let comparison = try EnsembleComparison.evaluate(
                members: manifest.members, predictions: predictions, labels: test.labels,
                rules: manifest.usableVoteRules, answer: manifest.voteRule)
            let decoder = JSONCoding.decoder()
            var histories: [String: [EpochStats]] = [:]
            for (i, member) in manifest.members.enumerated() {
                let history = HistoryFile.path(forModel: manifest.memberURL(i, in: dir).path)
                guard let bytes = FileManager.default.contents(atPath: history),
                    let epochs = try? decoder.decode([EpochStats].self, from: bytes)
                else { continue }
                histories[member.name] = epochs
            }
            let vote = Voting.vote(predictions, rule: manifest.voteRule, weights: manifest.weights)
            let report = ReportBuilder(
                title: "Quorum ensemble \(dir.lastPathComponent)", comparison: comparison, histories: histories,
                classNames: manifest.classNames,
                confusionMatrix: EnsembleMetrics.confusionMatrix(
                    vote.predictions, labels: test.labels, classes: predictor.classes),
                confusionRule: manifest.voteRule,
                sizeCurve: EnsembleMetrics.ensembleSizeCurve(predictions, labels: test.labels),
                modelGraphSVG: ModelGraph(model: predictor.models[0]).svg(), provenance: manifest.provenance,
                overview: Self.overview(predictor.metadata))
            let target = out ?? dir.appendingPathComponent("report.html").path
            try report.write(to: URL(fileURLWithPath: target))
            return target
        }

        /// The members' training settings, read from their model files; nil when a file does not carry them.
        private static func overview(_ metadata: [ModelMetadata]) -> ReportOverview? {
            let decoder = JSONCoding.decoder()
            let configs = metadata.compactMap { try? decoder.decode(TrainingConfig.self, from: Data($0.training.utf8)) }
            guard configs.count == metadata.count, !configs.isEmpty else { return nil }
            return ReportOverview(configs: configs, wallSeconds: nil)
        }
    }
}
