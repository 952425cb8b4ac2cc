import Foundation
import QuorumCore

/// One answered image as `quorum vote --output` writes it: where it came from, the class the vote chose, that
/// class's mean probability, the share of members that voted for it, and every class's vote count.
public struct VoteRecord: Sendable, Equatable {
    /// The file, with `[i]` appended for the i-th image of a file holding many.
    public let path: String
    /// The chosen class's index.
    public let classIndex: Int
    /// The chosen class's mean probability over the members.
    public let probability: Float
    /// The share of members whose own answer is the chosen class.
    public let agreement: Float
    /// Votes per class, in class order.
    public let votes: [Int]
    /// The true class, when the input says (a class folder, labels).
    public let label: Int?

    /// A record from its parts.
    public init(path: String, classIndex: Int, probability: Float, agreement: Float, votes: [Int], label: Int?) {
        self.path = path
        self.classIndex = classIndex
        self.probability = probability
        self.agreement = agreement
        self.votes = votes
        self.label = label
    }

    /// The file format of `--output`, chosen by its extension.
    public enum Format: String, Sendable {
        /// A header line, then one comma-separated row per image (RFC 4180 quoting).
        case csv
        /// One JSON object per line.
        case jsonl

        /// The format `path`'s extension names, or nil.
        public init?(path: String) {
            self.init(rawValue: (path as NSString).pathExtension.lowercased())
        }
    }

    /// The records as the text of a `format` file; `classNames` names the classes and the vote columns.
    public static func text(_ records: [VoteRecord], format: Format, classNames: [String]) -> String {
        switch format {
        case .csv:
            let header = ["path", "class", "probability", "agreement"] + classNames.map { "votes_\($0)" } + ["label"]
            var lines = [header.map(csvField).joined(separator: ",")]
            for r in records {
                let fields =
                    [r.path, classNames[r.classIndex], number(r.probability), number(r.agreement)]
                    + r.votes.map(String.init) + [r.label.map { classNames[$0] } ?? ""]
                lines.append(fields.map(csvField).joined(separator: ","))
            }
            return lines.joined(separator: "\n") + "\n"
        case .jsonl:
            let encoder = JSONCoding.wireEncoder()
            return records.map { r in
                let line = JSONLine(
                    path: r.path, className: classNames[r.classIndex], probability: r.probability,
                    agreement: r.agreement, votes: Dictionary(uniqueKeysWithValues: zip(classNames, r.votes)),
                    label: r.label.map { classNames[$0] })
                return String(decoding: (try? encoder.encode(line)) ?? Data(), as: UTF8.self) + "\n"
            }.joined()
        }
    }

    /// One `.jsonl` line.
    private struct JSONLine: Encodable {
        let path: String
        let className: String
        let probability: Float
        let agreement: Float
        let votes: [String: Int]
        let label: String?

        enum CodingKeys: String, CodingKey {
            case path, className = "class", probability, agreement, votes, label
        }
    }

    /// A value with six significant digits, the same in every locale.
    private static func number(_ value: Float) -> String { String(format: "%.6g", Double(value)) }

    /// A CSV field, quoted when it holds a comma, a quote or a line break.
    private static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
