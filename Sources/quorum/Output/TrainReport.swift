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
    }

    func jsonText() throws -> String {
        let encoder = JSONCoding.encoder(.pretty)
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
