import Foundation
import QuorumData
import QuorumCore

/// `ensemble.json`: what an ensemble folder holds and how its members vote.
///
/// The folder contains this manifest and one model file per member. `load` checks that the manifest is
/// complete and consistent and that every member's file is present, so later steps can trust it.
public struct EnsembleManifest: Codable, Sendable, Equatable {
    /// The manifest's file name inside an ensemble folder.
    public static let fileName = "ensemble.json"
    /// The format version this build writes and reads.
    public static let currentVersion = 1

    /// The format version the manifest was written in.
    public var formatVersion: Int
    /// The members, in vote order.
    public var members: [ManifestMember]
    /// The rule `quorum vote` uses by default.
    public var voteRule: VoteRule
    /// One name per class, indexed by label.
    public var classNames: [String]
    /// The input normalisation every member was trained with.
    public var normalisation: Normalization
    /// One sample's input shape, `[H, W, C]`.
    public var inputShape: [Int]
    /// When, how and in which run the ensemble was made.
    public var provenance: Provenance
    /// The views each member scores an image in, its probabilities averaged over them (`none` when a
    /// manifest written before the field existed leaves it out). Recorded so that a vote reproduces the
    /// run's own figures.
    public var testTimeAugmentation: TestTimeAugmentation

    /// A manifest in the current format version.
    public init(
        members: [ManifestMember], voteRule: VoteRule, classNames: [String], normalisation: Normalization,
        inputShape: [Int], provenance: Provenance, testTimeAugmentation: TestTimeAugmentation = .none
    ) {
        formatVersion = Self.currentVersion
        self.testTimeAugmentation = testTimeAugmentation
        self.members = members
        self.voteRule = voteRule
        self.classNames = classNames
        self.normalisation = normalisation
        self.inputShape = inputShape
        self.provenance = provenance
    }

    enum CodingKeys: String, CodingKey {
        case members, normalisation, provenance
        case formatVersion = "format_version"
        case voteRule = "vote_rule"
        case classNames = "class_names"
        case inputShape = "input_shape"
        case testTimeAugmentation = "test_time_augmentation"
    }

    /// Decodes every field; `test_time_augmentation` may be absent (older manifests), meaning `none`.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        formatVersion = try c.decode(Int.self, forKey: .formatVersion)
        members = try c.decode([ManifestMember].self, forKey: .members)
        voteRule = try c.decode(VoteRule.self, forKey: .voteRule)
        classNames = try c.decode([String].self, forKey: .classNames)
        normalisation = try c.decode(Normalization.self, forKey: .normalisation)
        inputShape = try c.decode([Int].self, forKey: .inputShape)
        provenance = try c.decode(Provenance.self, forKey: .provenance)
        testTimeAugmentation = try c.decodeIfPresent(TestTimeAugmentation.self, forKey: .testTimeAugmentation) ?? .none
    }

    /// The members' vote weights, in member order.
    public var weights: [Float] { members.map(\.weight) }

    /// The location of member `index`'s model file inside `dir`.
    public func memberURL(_ index: Int, in dir: URL) -> URL { dir.appendingPathComponent(members[index].file) }

    /// Reads and checks `dir/ensemble.json`, and checks that every member's model file exists.
    public static func load(from dir: URL) throws -> EnsembleManifest {
        let url = dir.appendingPathComponent(fileName)
        let path = url.path
        guard FileManager.default.fileExists(atPath: path) else { throw ManifestError.missingManifest(path: path) }
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ManifestError.unreadable(path: path, reason: error.localizedDescription)
        }
        // Read the version first, so a future format gets "unsupported version" rather than a decoding error.
        struct VersionProbe: Decodable { let format_version: Int? }
        let probe: VersionProbe
        do { probe = try JSONCoding.decoder(keys: .declared).decode(VersionProbe.self, from: data) } catch {
            throw ManifestError.unreadable(path: path, reason: Self.reason(error))
        }
        guard let version = probe.format_version else {
            throw ManifestError.invalidField(
                path: path, field: "format_version", expected: "an integer", found: "nothing")
        }
        guard version == currentVersion else {
            throw ManifestError.unsupportedVersion(path: path, found: version, supported: currentVersion)
        }
        let manifest: EnsembleManifest
        do { manifest = try JSONCoding.decoder(keys: .declared).decode(EnsembleManifest.self, from: data) } catch {
            throw ManifestError.unreadable(path: path, reason: Self.reason(error))
        }
        try manifest.check(path: path)
        for member in manifest.members
        where !FileManager.default.fileExists(atPath: dir.appendingPathComponent(member.file).path) {
            throw ManifestError.missingMemberFile(path: path, member: member.name, file: member.file)
        }
        return manifest
    }

    /// Writes `dir/ensemble.json` (pretty-printed, sorted keys), creating `dir` when needed.
    public func write(to dir: URL) throws {
        let url = dir.appendingPathComponent(Self.fileName)
        try check(path: url.path)
        let encoder = JSONCoding.encoder(.pretty, keys: .declared)
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            try encoder.encode(self).write(to: url, options: .atomic)
        } catch {
            throw ManifestError.unwritable(path: url.path, reason: error.localizedDescription)
        }
    }

    /// Throws for the first field that breaks the manifest's rules.
    private func check(path: String) throws {
        func invalid(_ field: String, _ expected: String, _ found: Any) -> ManifestError {
            .invalidField(path: path, field: field, expected: expected, found: "\(found)")
        }
        guard !members.isEmpty else { throw invalid("members", "at least one member", "none") }
        for (i, m) in members.enumerated() {
            // A relative path that stays inside the folder (a run keeps its members in members/).
            let parts = m.file.split(separator: "/", omittingEmptySubsequences: false)
            if m.file.isEmpty || m.file.hasPrefix("/")
                || parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." })
            {
                throw invalid("members[\(i)].file", "a relative path inside the ensemble folder", "'\(m.file)'")
            }
            if !(m.weight.isFinite && m.weight >= 0) {
                throw invalid("members[\(i)].weight", "a finite value ≥ 0", m.weight)
            }
            for (field, value) in [("validation_accuracy", m.validationAccuracy), ("test_accuracy", m.testAccuracy)] {
                if let value, !(0...1).contains(value) {
                    throw invalid("members[\(i)].\(field)", "a fraction in 0...1", value)
                }
            }
        }
        guard !classNames.isEmpty else { throw invalid("class_names", "at least one class", "none") }
        guard normalisation.mean.count == normalisation.std.count else {
            throw invalid(
                "normalisation.std", "\(normalisation.mean.count) values, one per mean", normalisation.std.count)
        }
        if let bad = normalisation.std.first(where: { !($0 > 0 && $0.isFinite) }) {
            throw invalid("normalisation.std", "positive values", bad)
        }
        do { _ = try ModelLimits.checkInputShape(inputShape) } catch {
            throw invalid("input_shape", "[H, W, C] within the model limits (\(error))", inputShape)
        }
    }

    /// The decoder's explanation with the JSON path it failed at.
    private static func reason(_ error: Error) -> String {
        guard let decoding = error as? DecodingError else { return "\(error)" }
        func at(_ context: DecodingError.Context) -> String {
            let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return path.isEmpty ? "" : " at \(path.hasPrefix(".") ? String(path.dropFirst()) : path)"
        }
        switch decoding {
        case let .keyNotFound(key, context): return "missing field '\(key.stringValue)'\(at(context))"
        case let .typeMismatch(type, context): return "expected \(type)\(at(context)): \(context.debugDescription)"
        case let .valueNotFound(type, context): return "expected \(type)\(at(context)), found null"
        case let .dataCorrupted(context):
            let underlying = context.underlyingError.map { " (\($0.localizedDescription))" } ?? ""
            return "\(context.debugDescription)\(at(context))\(underlying)"
        @unknown default: return "\(decoding)"
        }
    }
}
