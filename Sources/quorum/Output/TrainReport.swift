import Foundation
import QuorumCore
import QuorumData
import QuorumTraining

/// The one JSON object `quorum train --json` prints.
struct TrainReport: Encodable {
    var testAccuracy: Double
    var testLoss: Double
    var validationAccuracy: Double?
    var perClassAccuracy: [Double]
    var trainSeconds: Double
    var imagesPerSecond: Double
    var parameters: Int
    /// oneDNN's instruction set, which decides the exact bits of the weights.
    var isa: String
    var threads: Int
    var model: String
    var history: [EpochStats]
    var historyPath: String
    var config: TrainingConfig
    /// A snapshot job's earlier snapshots (cycles 1..<K, in order): model path and test accuracy.
    var snapshots: [SnapshotRow]

    struct SnapshotRow: Encodable {
        var cycle: Int
        var model: String
        var testAccuracy: Double
    }

    init(outcome: TrainingOutcome, modelPath: String, historyPath: String, config: TrainingConfig) {
        testAccuracy = outcome.test.accuracy
        testLoss = outcome.test.loss
        validationAccuracy = outcome.validation?.accuracy
        perClassAccuracy = outcome.test.perClassAccuracy
        trainSeconds = outcome.trainSeconds
        imagesPerSecond = outcome.imagesPerSecond
        parameters = outcome.model.parameterCount
        isa = ComputeEngine.oneDNNInstructionSet
        threads = config.threads
        model = modelPath
        history = outcome.history
        self.historyPath = historyPath
        self.config = config
        snapshots = outcome.snapshots.map {
            SnapshotRow(
                cycle: $0.cycle, model: HistoryFile.snapshotPath(forModel: modelPath, cycle: $0.cycle),
                testAccuracy: $0.test.accuracy)
        }
    }

    func jsonText() throws -> String {
        let encoder = JSONCoding.encoder(.pretty)
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
