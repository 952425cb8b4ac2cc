import Foundation
import QuorumCore
import QuorumData
import QuorumTraining

/// The per-epoch history saved next to a model file: `NAME.history.json` for `NAME.safetensors`.
enum HistoryFile {
    static func path(forModel model: String) -> String {
        let base = model.hasSuffix(".safetensors") ? String(model.dropLast(".safetensors".count)) : model
        return base + ".history.json"
    }

    /// Where `quorum train` writes snapshot `cycle` of a snapshot job whose last cycle goes to `model`.
    static func snapshotPath(forModel model: String, cycle: Int) -> String {
        let base = model.hasSuffix(".safetensors") ? String(model.dropLast(".safetensors".count)) : model
        return base + "-c\(cycle).safetensors"
    }

    static func write(_ history: [EpochStats], to path: String) throws {
        let encoder = JSONCoding.encoder(.pretty)
        try encoder.encode(history).write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
