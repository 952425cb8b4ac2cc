import ArgumentParser
import Foundation
import QuorumEnsemble
import QuorumData
import QuorumCore

extension Quorum {
    /// `quorum ensemble`: commands on ensemble folders.
    struct Ensemble: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Work with ensemble folders (ensemble.json and one model file per member).",
            subcommands: [EnsembleCreate.self, EnsembleSelect.self])
    }

    /// `quorum ensemble create`: an ensemble folder from models trained separately.
    struct EnsembleCreate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create",
            abstract: "Build an ensemble folder from separately trained model files.",
            discussion: """
                The model files are copied into the folder (with their NAME.history.json when present). They must \
                share input shape, classes and class names. The ensemble answers with the soft vote unless --rule \
                says otherwise (it was the better vote on every run measured). Validation accuracy comes from the \
                model's history (last epoch), test accuracy from the model file's metadata when it records one.
                """)

        @Option(parsing: .upToNextOption, help: "The members' model files (.safetensors).")
        var members: [String]

        @Option(help: "The ensemble folder to create.")
        var out: String

        @Option(parsing: .upToNextOption, help: "Vote weights, one per member (default: all 1).")
        var weights: [Float] = []

        @Option(help: "The ensemble's default vote rule (soft: the better one on every run measured).")
        var rule: VoteRule = VoteRule.answer

        @Option(
            help: """
                Test-time augmentation the members score with (default: what the first member was trained to be \
                tested with, else none).
                """)
        var tta: TestTimeAugmentation?

        func validate() throws {
            guard !members.isEmpty else { throw ValidationError("give at least one --members file") }
            guard weights.isEmpty || weights.count == members.count else {
                throw ValidationError(
                    "--weights has \(weights.count) values for \(members.count) members; give one per member")
            }
            if let bad = weights.first(where: { !($0.isFinite && $0 >= 0) }) {
                throw ValidationError("--weights: \(bad) is not a finite weight ≥ 0")
            }
            if !weights.isEmpty && weights.reduce(0, +) <= 0 {
                throw ValidationError("--weights: at least one weight must be positive")
            }
        }

        func run() throws {
            let dir = URL(fileURLWithPath: out)
            guard !FileManager.default.fileExists(atPath: dir.appendingPathComponent(EnsembleManifest.fileName).path)
            else {
                throw ValidationError("\(out) already holds an ensemble (ensemble.json); choose another --out")
            }
            var entries: [ManifestMember] = []
            var first: ModelMetadata?
            var usedNames = Set<String>()
            var copies: [(from: String, to: String)] = []
            for (k, path) in members.enumerated() {
                let meta = try ModelFile.load(path: path).metadata
                if let f = first {
                    do {
                        try MemberCompatibility.check(
                            meta, file: path, inputShape: f.spec.inputShape,
                            classes: f.spec.classes, classNames: f.classNames)
                    } catch { throw ValidationError("\(error)") }
                } else {
                    first = meta
                }
                var name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
                if name.isEmpty { name = "member-\(k + 1)" }
                while usedNames.contains(name) { name += "-\(k + 1)" }
                usedNames.insert(name)
                let training =
                    (try? JSONSerialization.jsonObject(with: Data(meta.training.utf8))) as? [String: Any] ?? [:]
                let history = HistoryFile.path(forModel: path)
                let hasHistory = FileManager.default.fileExists(atPath: history)
                // A model file records no accuracies: validation comes from its history, test is not known.
                entries.append(
                    ManifestMember(
                        name: name, file: "\(name).safetensors",
                        seed: (training["seed"] as? NSNumber)?.uint64Value ?? 0,
                        augmentation: training["augment"] as? String ?? "none",
                        validationAccuracy: hasHistory ? Self.lastValidationAccuracy(history) : nil, testAccuracy: nil,
                        weight: weights.isEmpty ? 1 : weights[k]))
                copies.append((path, "\(name).safetensors"))
                if hasHistory { copies.append((history, "\(name).history.json")) }
            }
            guard let meta = first else { return }
            let training = (try? JSONSerialization.jsonObject(with: Data(meta.training.utf8))) as? [String: Any]
            let trainedWith = (training?["testTimeAugmentation"] as? String).flatMap(TestTimeAugmentation.init)
            let tta = self.tta ?? trainedWith ?? .none
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            for (from, to) in copies {
                let target = dir.appendingPathComponent(to)
                try? FileManager.default.removeItem(at: target)
                // Copy the file a symbolic link points to: a copied relative link would dangle in the new folder.
                try FileManager.default.copyItem(at: URL(fileURLWithPath: from).resolvingSymlinksInPath(), to: target)
            }
            let manifest = EnsembleManifest(
                members: entries, voteRule: rule, classNames: meta.classNames,
                normalisation: Normalization(mean: meta.normalizationMean, std: meta.normalizationStd),
                inputShape: meta.spec.inputShape,
                provenance: Provenance(
                    createdAt: Date(), command: (["quorum"] + CommandLine.arguments.dropFirst()).joined(separator: " "),
                    runID: dir.lastPathComponent),
                testTimeAugmentation: tta)
            try manifest.write(to: dir)
            let names = entries.map(\.name).joined(separator: ", ")
            print(
                "ensemble \(out): \(entries.count) members (\(names)), \(rule.rawValue) vote by default, "
                    + "test-time augmentation \(tta.rawValue)")
        }

        /// The last epoch's validation accuracy in a history file, if it has one.
        static func lastValidationAccuracy(_ path: String) -> Double? {
            guard let data = FileManager.default.contents(atPath: path),
                let epochs = (try? JSONSerialization.jsonObject(with: data)) as? [[String: Any]]
            else { return nil }
            return (epochs.last?["validation_accuracy"] as? NSNumber)?.doubleValue
        }
    }
}
