import ArgumentParser
import Foundation
import QuorumCore
import QuorumData
import QuorumEnsemble
import QuorumTraining

extension Quorum {
    /// `quorum ensemble select`: a new ensemble folder whose members and weights were chosen on validation data.
    struct EnsembleSelect: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "select",
            abstract: "Choose members (greedy selection) or learn their weights (stacking) on validation data.",
            discussion: """
                Each member's probabilities on the validation split of the data it was trained on are computed \
                from its model file (with the ensemble's test-time augmentation) and kept beside its test \
                predictions as predictions/NAME.validation.safetensors. The test set is never used: choosing \
                members or weights on it would report an accuracy they were tuned to. The new folder votes with \
                the weighted rule; members given no weight are left out.
                """)

        /// How members are chosen.
        enum Rule: String, ExpressibleByArgument, CaseIterable {
            case greedy, stacked

            static var allValueDescriptions: [String: String] {
                [
                    "greedy": "Caruana et al. 2004: --size picks with replacement, each the member whose addition "
                        + "gives the best validation accuracy of the soft vote; weights count the picks.",
                    "stacked": "Per-member weights of the soft vote fitted by a logistic-regression combiner on "
                        + "the validation log-loss."
                ]
            }
        }

        @Option(help: "The ensemble folder to choose from (a run directory holds one).")
        var ensemble: String

        @Option(help: "How members are chosen.")
        var rule: Rule = .greedy

        @Option(help: "greedy: the number of picks (members may be picked more than once).")
        var size: Int?

        @Option(help: "The ensemble folder to create.")
        var out: String

        func validate() throws {
            if rule == .greedy {
                guard let size, size >= 1 else { throw ValidationError("greedy selection needs --size K ≥ 1") }
            } else if size != nil {
                throw ValidationError("--size applies to --rule greedy only")
            }
        }

        func run() throws {
            let source = URL(fileURLWithPath: ensemble), target = URL(fileURLWithPath: out)
            guard !FileManager.default.fileExists(atPath: target.appendingPathComponent(EnsembleManifest.fileName).path)
            else { throw ValidationError("\(out) already holds an ensemble (ensemble.json); choose another --out") }
            let manifest = try EnsembleManifest.load(from: source)
            let scores = try MemberScores(
                modelFiles: manifest.members.indices.map { manifest.memberURL($0, in: source) })
            let cache = manifest.members.map {
                source.appendingPathComponent("predictions/\($0.name).validation.safetensors")
            }
            let probabilities = try scores.validation(
                testTimeAugmentation: manifest.testTimeAugmentation, cacheURLs: cache)
            let classes = manifest.classNames.count
            let members = try zip(manifest.members, probabilities).map {
                try MemberPredictions(name: $0.name, probabilities: $1, classes: classes)
            }
            let labels = scores.data.validation.labels
            let weights: [Float]
            switch rule {
            case .greedy:
                weights = try EnsembleSelection.greedy(members, labels: labels, size: size ?? 1).map(Float.init)
            case .stacked: weights = try StackedWeights.fit(members, labels: labels)
            }
            var chosen = manifest
            chosen.members = zip(manifest.members, weights).filter { $0.1 > 0 }.map { member, weight in
                var member = member
                member.weight = weight
                return member
            }
            chosen.voteRule = .weighted
            chosen.provenance = Provenance(
                createdAt: Date(), command: (["quorum"] + CommandLine.arguments.dropFirst()).joined(separator: " "),
                runID: target.lastPathComponent)
            for member in chosen.members {
                let to = target.appendingPathComponent(member.file)
                try FileManager.default.createDirectory(
                    at: to.deletingLastPathComponent(), withIntermediateDirectories: true)
                try? FileManager.default.removeItem(at: to)
                try FileManager.default.copyItem(at: source.appendingPathComponent(member.file), to: to)
            }
            try chosen.write(to: target)
            let equal = Voting.soft(members).accuracy(labels: labels)
            let picked = Voting.weighted(members, weights: weights).accuracy(labels: labels)
            print(
                "\(rule.rawValue): \(chosen.members.count) of \(manifest.members.count) members on "
                    + "\(labels.count) validation images; validation accuracy \(Terminal.percent(picked)) "
                    + "(soft vote of all: \(Terminal.percent(equal)))")
            for member in chosen.members { print("  \(member.name)  weight \(String(format: "%.3f", member.weight))") }
            print("ensemble \(out): weighted vote by default")
        }
    }
}
