import Foundation

/// Every JSON encoder and decoder the project uses, configured here alone. Keys are always sorted, so the
/// same value always gives the same bytes.
///
/// Keys are snake_case on disk and on the wire. Run files, job configurations and histories get it from the key
/// strategy (`trainLoss` → `train_loss`). Formats that other programs read spell their keys in `CodingKeys`
/// and are read and written with `.declared` keys: protocol headers (docs/protocol.md's names),
/// `ensemble.json` and the comparison (the strategy would read `run_id` back as `runId`, not `runID`, and
/// could not spell `gain_over_mean_pt`), and model-file metadata, which has kept Swift's names since the
/// first model file. The strategy leaves a declared snake_case key as it is, and never touches the keys of a
/// String-keyed dictionary, so a declared type may sit inside a strategy-encoded document.
public enum JSONCoding {
    /// How keys are spelled.
    public enum Keys: Sendable {
        /// snake_case made from the Swift names by the key strategy.
        case snakeCase
        /// As each type's `CodingKeys` (or Swift names) spell them.
        case declared
    }

    /// How a document is laid out.
    public enum Layout: Sendable {
        /// Indented: files a person reads (plan.json, summary.json, ensemble.json, histories, `--json` output).
        case pretty
        /// One line: journal lines, job configurations, model-file metadata.
        case compact
    }

    /// An encoder with sorted keys.
    public static func encoder(_ layout: Layout = .compact, keys: Keys = .snakeCase) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = layout == .pretty ? [.prettyPrinted, .sortedKeys] : [.sortedKeys]
        if keys == .snakeCase { encoder.keyEncodingStrategy = .convertToSnakeCase }
        return encoder
    }

    /// A decoder for documents written by `encoder(_:keys:)` with the same `keys`.
    public static func decoder(keys: Keys = .snakeCase) -> JSONDecoder {
        let decoder = JSONDecoder()
        if keys == .snakeCase { decoder.keyDecodingStrategy = .convertFromSnakeCase }
        return decoder
    }

    /// The protocol's encoder: one line, declared keys, `/` unescaped, and non-finite numbers as the strings
    /// `NaN`, `Infinity` and `-Infinity`, so that encoding a header of strings and numbers cannot fail.
    public static func wireEncoder() -> JSONEncoder {
        let encoder = self.encoder(.compact, keys: .declared)
        encoder.outputFormatting.insert(.withoutEscapingSlashes)
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return encoder
    }
}
