import Foundation
import QuorumData
import QuorumTraining

/// What a command says about the data it loaded: classes the validation split leaves out, and the image files
/// left out as unreadable (listed in a file, as `--skip-bad-files` promises).
enum DataNotes {
    /// Warns on standard error about thin classes and skipped files; writes the skipped list to `skippedList`.
    static func show(_ data: PreparedData, skippedList: String) throws {
        warn(data)
        guard !data.skipped.isEmpty else { return }
        try write(data.skipped, to: skippedList)
        Terminal.log("skipped \(data.skipped.count) unreadable image files, listed in \(skippedList)")
    }

    /// Warns on standard error about classes the validation split leaves without an image.
    static func warn(_ data: PreparedData) {
        let splits = DataSplits(train: data.train, validation: data.validation, test: data.test)
        for warning in ValidationSplit.warnings(splits) { Terminal.log("warning: \(warning)") }
    }

    /// Writes one `PATH: REASON` line per skipped file.
    static func write(_ skipped: [BadImageFile], to path: String) throws {
        try Data(BadImageFile.listText(skipped).utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// The skipped-file list's path next to a model file: `NAME.skipped.txt`.
    static func skippedPath(forModel model: String) -> String {
        let base = model.hasSuffix(".safetensors") ? String(model.dropLast(".safetensors".count)) : model
        return base + ".skipped.txt"
    }
}
