import ArgumentParser
import Foundation
import QuorumCore
import QuorumEnsemble

extension Quorum {
    /// `quorum vote`: an ensemble answers new inputs, each answer with its votes, agreement and probability.
    struct Vote: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Let an ensemble vote on images: IDX, CIFAR-10 batches, JPEG, PNG, PGM, CSV, or folders of them.",
            discussion: """
                Hard-vote tie rule: the class with the most votes wins; among classes tied on votes the one \
                with the highest mean probability wins; if that ties too, the lowest class index wins. \
                Labels (IDX with --labels or a '...-labels-idx1-ubyte' neighbour, CIFAR, CSV) add accuracy to the \
                summary. \
                A folder given as --input is walked recursively for JPEG, PNG and PGM files; when its sub-folders are \
                named as the ensemble's classes, each file's folder is its label, and the summary adds accuracy and \
                a confusion matrix. JPEG files, and PNG or PGM files of another size, are resized to the ensemble's \
                input as training resizes an image folder. \
                A file that cannot be read gets an error naming it; the others are still answered, and the exit \
                status is non-zero at the end.
                """)

        @Option(help: "The ensemble folder (ensemble.json and the member model files).")
        var ensemble: String

        @Option(
            parsing: .upToNextOption,
            help: "Input files: IDX (.gz or raw), CIFAR-10 .bin batches, JPEG, PNG, PGM or CSV, or folders of images.")
        var input: [String]

        @Option(
            help: "Write one row per image to this file: .csv or .jsonl (path, class, probability, agreement, votes).")
        var output: String?

        @Option(parsing: .upToNextOption, help: "Label files for the IDX inputs, in the order of those inputs.")
        var labels: [String] = []

        @Option(help: "Vote rule (default: the ensemble's own rule).")
        var rule: VoteRule?

        @Option(help: "Show the K most probable classes of each answer.")
        var top: Int = 3

        @Option(help: "Print at most N per-image lines (the summary is always printed).")
        var limitOutput: Int = 20

        @Option(help: "Threads (members run side by side when there are several).")
        var threads: Int = ProcessInfo.processInfo.activeProcessorCount

        @Flag(help: "Print everything as one JSON object.")
        var json = false

        func validate() throws {
            guard !input.isEmpty else { throw ValidationError("give at least one --input file") }
            guard top >= 1 else { throw ValidationError("--top must be at least 1") }
            guard limitOutput >= 0 else { throw ValidationError("--limit-output must be 0 or more") }
            guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
            if let output, VoteRecord.Format(path: output) == nil {
                throw ValidationError("--output must name a .csv or .jsonl file, got '\(output)'")
            }
        }

        func run() throws {
            let predictor = try EnsemblePredictor(directory: URL(fileURLWithPath: ensemble))
            let manifest = predictor.manifest
            let rule = self.rule ?? manifest.voteRule
            if rule == .weighted { try Voting.validate(weights: manifest.weights, memberCount: manifest.members.count) }
            let loader = InputLoader(inputShape: manifest.inputShape, classes: predictor.classes)
            let names = manifest.classNames
            var failures: [[String: String]] = []
            var results: [[String: AnyEncodable]] = []
            var printed = 0, images = 0, labelled = 0, correct = 0, tied = 0
            var memberCorrect = [Int](repeating: 0, count: manifest.members.count)
            var seconds = 0.0
            var records: [VoteRecord] = []
            var folderPredictions: [Int32] = [], folderLabels: [Int32] = []
            let items = try InputFolder.expand(input, classNames: names)
            var itemIndex = 0

            // Each input is read (and decompressed) once; IDX inputs take the --labels files in turn.
            loader.forEach(items.map(\.path), labels: labels) { path, loaded in
                let folderLabel = items[itemIndex].label
                itemIndex += 1
                let batch: InputBatch
                do { batch = try loaded.get() } catch {
                    failures.append(["file": path, "error": "\(error)"])
                    if !json { Terminal.log("error: \(error)") }
                    return
                }
                let start = Date()
                let predictions = predictor.predict(batch.images, threads: threads)
                seconds += Date().timeIntervalSince(start)
                let result = Voting.vote(predictions, rule: rule, weights: manifest.weights)
                images += result.count
                tied += result.tiedCount
                let batchLabels = batch.labels ?? folderLabel.map { [$0] }
                if let folderLabel {
                    folderPredictions += result.predictions
                    folderLabels.append(folderLabel)
                }
                var rows: [[String: AnyEncodable]] = []
                for i in 0..<result.count {
                    let label = batchLabels?[i]
                    let line = answer(result, i, label: label, names: names)
                    if json { rows.append(line.json) }
                    let where_ = batch.images.count == 1 && batch.format != .idx ? path : "\(path)[\(i)]"
                    if output != nil { records.append(record(result, i, path: where_, label: label)) }
                    if !json && printed < limitOutput {
                        print("\(where_)  \(line.text)")
                        printed += 1
                    }
                }
                var entry: [String: AnyEncodable] = [
                    "file": .init(path), "format": .init(batch.format.rawValue),
                    "images": .init(result.count), "answers": .init(rows)
                ]
                if let l = batchLabels {
                    let right = zip(result.predictions, l).filter { $0 == $1 }.count
                    labelled += l.count
                    correct += right
                    for (k, p) in predictions.enumerated() {
                        memberCorrect[k] += zip(p.argmax, l).filter { $0 == $1 }.count
                    }
                    entry["accuracy"] = .init(Double(right) / Double(max(l.count, 1)))
                    if let f = batch.labelsFile { entry["labels_file"] = .init(f) }
                    if folderLabel != nil { entry["label_from_folder"] = .init(true) }
                }
                results.append(entry)
            }

            if let output {
                let format = VoteRecord.Format(path: output) ?? .csv
                let text = VoteRecord.text(records, format: format, classNames: names)
                try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
            }
            let confusion =
                folderLabels.isEmpty
                ? nil
                : EnsembleMetrics.confusionMatrix(folderPredictions, labels: folderLabels, classes: names.count)
            let rate = seconds > 0 ? Double(images) / seconds : 0
            if json {
                var summary: [String: AnyEncodable] = [
                    "ensemble": .init(ensemble), "rule": .init(rule.rawValue),
                    "members": .init(manifest.members.map(\.name)),
                    "images": .init(images), "labelled": .init(labelled), "tied": .init(tied),
                    "seconds": .init(seconds),
                    "images_per_second": .init(rate), "failed_inputs": .init(failures.count)
                ]
                if let confusion { summary["confusion_matrix"] = .init(confusion) }
                if labelled > 0 {
                    summary["accuracy"] = .init(Double(correct) / Double(labelled))
                    summary["member_accuracies"] = .init(memberCorrect.map { Double($0) / Double(labelled) })
                }
                let object: [String: AnyEncodable] = [
                    "inputs": .init(results), "errors": .init(failures), "summary": .init(summary)
                ]
                let encoder = JSONCoding.encoder(.pretty)
                print(String(decoding: try encoder.encode(object), as: UTF8.self))
            } else {
                if images > printed {
                    print(
                        "… \(images - printed) more answer\(images - printed == 1 ? "" : "s") not shown (--limit-output N shows more, --json shows all)"
                    )
                }
                let read = items.count - failures.count
                var line = "\(images) image\(images == 1 ? "" : "s") from \(read) of \(items.count) "
                line += "input\(items.count == 1 ? "" : "s"); "
                line += "\(rule.rawValue) vote of \(manifest.members.count) members; \(tied) tied; "
                line += String(format: "%.0f images/s", rate)
                print(line)
                if labelled > 0 {
                    print(
                        "accuracy: \(Terminal.percent(Double(correct) / Double(labelled))) on \(labelled) labelled images"
                    )
                    let members = zip(manifest.members, memberCorrect).map {
                        "\($0.name) \(Terminal.percent(Double($1) / Double(labelled)))"
                    }
                    print("members: " + members.joined(separator: ", "))
                }
                if let confusion {
                    print("confusion matrix of the class folders (rows: true class, columns: predicted)")
                    print(EnsembleMetrics.confusionTable(confusion, classNames: names).joined(separator: "\n"))
                }
                if let output { print("wrote \(records.count) rows to \(output)") }
                if !failures.isEmpty {
                    print("\(failures.count) input\(failures.count == 1 ? "" : "s") failed (see the errors above)")
                }
            }
            if !failures.isEmpty { throw ExitCode.failure }
        }

        /// One answer as an `--output` row.
        private func record(_ r: VoteResult, _ i: Int, path: String, label: Int32?) -> VoteRecord {
            let c = r.classes
            let winner = Int(r.predictions[i])
            return VoteRecord(
                path: path, classIndex: winner, probability: r.probabilities[i * c + winner],
                agreement: Float(r.agreement[i]), votes: r.votes(of: i).map { Int($0) }, label: label.map { Int($0) })
        }

        /// One answer as a text line and as JSON.
        private func answer(_ r: VoteResult, _ i: Int, label: Int32?, names: [String]) -> (
            text: String, json: [String: AnyEncodable]
        ) {
            let c = r.classes
            let winner = Int(r.predictions[i])
            let votes = Array(r.votes(of: i))
            let probs = Array(r.probabilities[(i * c)..<((i + 1) * c)])
            let members = Int(votes.reduce(0, +))
            let order = (0..<c).sorted { probs[$0] != probs[$1] ? probs[$0] > probs[$1] : $0 < $1 }.prefix(top)
            let voted = (0..<c).filter { votes[$0] > 0 }.sorted {
                votes[$0] != votes[$1] ? votes[$0] > votes[$1] : $0 < $1
            }
            var text =
                "\(names[winner])  agreement \(votes[winner])/\(members) (\(String(format: "%.0f", Double(r.agreement[i]) * 100)) %)"
            text += String(format: "  p %.3f", probs[winner])
            text += "  votes: " + voted.map { "\(names[$0]) \(votes[$0])" }.joined(separator: ", ")
            text +=
                "  top: " + order.map { "\(names[$0]) \(String(format: "%.3f", probs[$0]))" }.joined(separator: ", ")
            var json: [String: AnyEncodable] = [
                "class": .init(winner), "class_name": .init(names[winner]), "agreement": .init(r.agreement[i]),
                "probability": .init(probs[winner]),
                "votes": .init(Dictionary(voted.map { (names[$0], Int(votes[$0])) }, uniquingKeysWith: +)),
                "top": .init(
                    order.map {
                        [
                            "class": AnyEncodable($0), "class_name": .init(names[$0]), "probability": .init(probs[$0]),
                            "votes": .init(Int(votes[$0]))
                        ]
                    })
            ]
            if let label {
                text += "  label \(names[Int(label)]) \(Int(label) == winner ? "✓" : "✗")"
                json["label"] = .init(Int(label))
                json["correct"] = .init(Int(label) == winner)
            }
            return (text, json)
        }
    }
}
