import Foundation

/// Trains one model from a `TrainingConfig`: the loop every ensemble member goes through, on a worker or in
/// `quorum train`. Work stays on the calling thread (plus the batch loader's prefetch thread and BLAS's own).
public final class MemberTrainer {
    public let config: TrainingConfig
    public let data: PreparedData
    /// How often, in seconds, mid-epoch progress is reported.
    public var progressInterval: Double = 0.5

    /// A trainer for `config` over data already loaded for it.
    public init(config: TrainingConfig, data: PreparedData) throws {
        try config.validate()
        self.config = config
        self.data = data
    }

    /// Trains, evaluates on validation and test data, and serialises the model. `shouldStop` is polled between
    /// batches; when it returns true training ends with `TrainingError.cancelled`.
    public func train(progress: (TrainingProgress) -> Void = { _ in },
                      shouldStop: () -> Bool = { false }) throws -> TrainingOutcome {
        ComputeThreads.set(config.threads)
        let train = data.train
        let classes = max(train.numClasses, data.test.numClasses)
        let spec = try ModelSpec(parsing: config.model, inputShape: train.imageShape, classes: classes)
        let model = try Sequential(spec: spec, seed: config.seed)
        let optimizer = config.optimizer.makeOptimizer(parameters: model.parameters)
        let weights = try config.classWeights.map {
            try ClassWeights(parsing: $0, classes: classes).weights(classCounts: train.classCounts())
        }
        let loss = SoftmaxCrossEntropy(classes: classes, classWeights: weights, labelSmoothing: config.labelSmoothing)
        let augmentation = try AugmentationSettings(parsing: config.augment)

        let images = Tensor(shape: [config.batchSize] + train.imageShape)
        var labels: [Int32] = []
        var history: [EpochStats] = []
        var trainSeconds = 0.0
        var trainedImages = 0
        var batchesPerEpoch = 0
        var validation: Evaluation?
        for epoch in 1...config.epochs {
            optimizer.beginEpoch(epoch)
            let order = epochOrder(labels: train.labels, strategy: config.sampling, epoch: epoch, seed: config.seed)
            batchesPerEpoch = (order.count + config.batchSize - 1) / config.batchSize
            let loader = BatchLoader(dataset: train, batchSize: config.batchSize, normalization: data.normalization,
                                     augmentation: augmentation, order: order, seed: config.seed, epoch: epoch)
            let start = Date()
            var lastReport = start
            var lossSum = 0.0, correct = 0, seen = 0, batch = 0
            while loader.next(into: images, labels: &labels) {
                if shouldStop() { throw TrainingError.cancelled }
                // The rate for the batch about to finish: (batch + 1) keeps warm-up's first step above zero.
                let fraction = Double(epoch - 1) + Double(batch + 1) / Double(max(batchesPerEpoch, 1))
                optimizer.learningRate = config.optimizer.rate(epoch: fraction, totalEpochs: config.epochs)
                model.zeroGradients()
                let logits = model.forward(images, training: true)
                let batchLoss = labels.withUnsafeBufferPointer { loss.forward(logits: logits, labels: $0) }
                guard batchLoss.isFinite else { throw TrainingError.diverged(epoch: epoch, batch: batch + 1) }
                correct += labels.withUnsafeBufferPointer { loss.correctCount(logits: logits, labels: $0) }
                model.backward(loss.gradient)
                optimizer.step()
                lossSum += Double(batchLoss) * Double(labels.count)
                seen += labels.count
                batch += 1
                let now = Date()
                if now.timeIntervalSince(lastReport) >= progressInterval && batch < batchesPerEpoch {
                    lastReport = now
                    let elapsed = now.timeIntervalSince(start)
                    progress(report(epoch: epoch, batch: batch, batches: batchesPerEpoch, lossSum: lossSum,
                                    correct: correct, seen: seen, elapsed: elapsed, doneBefore: trainSeconds,
                                    imagesBefore: trainedImages, finished: nil))
                }
            }
            let seconds = Date().timeIntervalSince(start)
            trainSeconds += seconds
            trainedImages += seen
            validation = data.validation.count > 0
                ? Evaluation.run(model, on: data.validation, normalization: data.normalization) : nil
            let stats = EpochStats(epoch: epoch, trainLoss: lossSum / Double(max(seen, 1)),
                                   trainAccuracy: Double(correct) / Double(max(seen, 1)),
                                   validationLoss: validation?.loss, validationAccuracy: validation?.accuracy,
                                   learningRate: Double(optimizer.learningRate), seconds: seconds,
                                   imagesPerSecond: Double(seen) / max(seconds, 1e-9))
            history.append(stats)
            progress(report(epoch: epoch, batch: batch, batches: batchesPerEpoch, lossSum: lossSum, correct: correct,
                            seen: seen, elapsed: seconds, doneBefore: trainSeconds - seconds,
                            imagesBefore: trainedImages - seen, finished: stats))
        }
        let metadata = ModelMetadata(spec: spec, normalizationMean: data.normalization.mean,
                                     normalizationStd: data.normalization.std,
                                     classNames: data.train.classNames.count == classes ? data.train.classNames
                                         : (0..<classes).map(String.init),
                                     training: config.jsonText)
        let test = Evaluation.run(model, on: data.test, normalization: data.normalization)
        return TrainingOutcome(model: model, metadata: metadata, modelFile: ModelFile.serialized(model, metadata: metadata),
                               history: history, validation: validation, test: test, trainSeconds: trainSeconds,
                               imagesPerSecond: Double(trainedImages) / max(trainSeconds, 1e-9))
    }

    private func report(epoch: Int, batch: Int, batches: Int, lossSum: Double, correct: Int, seen: Int,
                        elapsed: Double, doneBefore: Double, imagesBefore: Int, finished: EpochStats?) -> TrainingProgress {
        let rate = Double(seen) / max(elapsed, 1e-9)
        let imagesPerEpoch = Double(batches * config.batchSize)
        let remaining = imagesPerEpoch * Double(config.epochs - epoch) + max(0, imagesPerEpoch - Double(seen))
        return TrainingProgress(epoch: epoch, epochs: config.epochs, batch: batch, batches: batches,
                                loss: lossSum / Double(max(seen, 1)), accuracy: Double(correct) / Double(max(seen, 1)),
                                imagesPerSecond: rate, etaSeconds: remaining / max(rate, 1e-9), finishedEpoch: finished)
    }
}
