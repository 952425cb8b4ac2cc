import Foundation
import QuorumData
import QuorumCore

/// Trains one model from a `TrainingConfig`: the loop every ensemble member goes through, on a worker or in
/// `quorum train`. Work stays on the calling thread (plus the batch loader's prefetch thread and oneDNN's OpenMP
/// threads).
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
    /// batches; when it returns true training ends with `TrainingError.cancelled`. With `initFrom` the run starts
    /// from that model file (with a new head when the classes differ); with `freeze` the named layers take no
    /// step; with `prune` it then prunes and retrains in rounds, calling `pruneProgress` after each round
    /// (round 0 is the model before pruning).
    public func train(
        progress: (TrainingProgress) -> Void = { _ in },
        shouldStop: () -> Bool = { false },
        pruneProgress: (PruneRound) -> Void = { _ in }
    ) throws -> TrainingOutcome {
        ComputeThreads.set(config.threads)
        let train = data.train
        let dataClasses = max(train.numClasses, data.test.numClasses)
        let classes = config.numClasses ?? dataClasses
        guard classes >= dataClasses else {
            throw TrainingError.badConfig(
                field: "num_classes", reason: "is \(classes) but the data has \(dataClasses) classes")
        }
        let classNames = train.classNames.count == classes ? train.classNames : (0..<classes).map(String.init)
        var model = try initialModel(classes: classes, classNames: classNames)
        let freeze = try config.freeze.map { try FreezeSpec(parsing: $0) } ?? FreezeSpec.none
        freeze.apply(to: model)
        let weights = try config.classWeights.map {
            try ClassWeights(parsing: $0, classes: classes).weights(classCounts: train.classCounts())
        }
        let loss = SoftmaxCrossEntropy(classes: classes, classWeights: weights, labelSmoothing: config.labelSmoothing)
        let augmentation = try AugmentationSettings(parsing: config.augment)
        let epochs = config.snapshots?.totalEpochs(epochs: config.epochs) ?? config.epochs
        var state = RunState(totalEpochs: epochs + (config.prune.map { $0.rounds * $0.retrainEpochs } ?? 0))
        func modelMetadata(of model: Sequential) -> ModelMetadata {
            ModelMetadata(
                spec: model.spec, normalizationMean: data.normalization.mean,
                normalizationStd: data.normalization.std, classNames: classNames, training: config.jsonText)
        }
        var snapshots: [TrainingSnapshot] = []
        if let plan = config.snapshots {
            snapshots = try trainSnapshots(
                plan, model: model, loss: loss, augmentation: augmentation, state: &state, progress: progress,
                shouldStop: shouldStop, metadata: modelMetadata(of: model))
        } else {
            try trainEpochs(
                model, count: config.epochs, loss: loss, augmentation: augmentation, state: &state,
                progress: progress, shouldStop: shouldStop)
        }
        var test: Evaluation?
        var rounds: [PruneRound] = []
        if let prune = config.prune {
            func row(_ round: Int) -> PruneRound {
                let evaluation = evaluate(model, on: data.test)
                test = evaluation
                let row = PruneRound(
                    round: round, layers: model.spec.layers, parameters: model.parameterCount,
                    flops: model.forwardFLOPs, testAccuracy: evaluation.accuracy,
                    imagesPerSecond: InferenceSpeed.measure(model, windowSeconds: inferenceTimingSeconds / 3))
                pruneProgress(row)
                return row
            }
            rounds.append(row(0))
            let prunable = Set(FilterPruner.prunableLayers(model.spec))
            let original = FilterPruner.filterCounts(model.spec).filter { prunable.contains($0.key) }
            for round in 1...prune.rounds {
                model = try FilterPruner.prune(model, keeping: prune.keepCounts(original: original, afterRound: round))
                freeze.apply(to: model)
                try trainEpochs(
                    model, count: prune.retrainEpochs, loss: loss, augmentation: augmentation, state: &state,
                    progress: progress, shouldStop: shouldStop)
                rounds.append(row(round))
            }
        }
        let metadata = modelMetadata(of: model)
        let finalTest = test ?? evaluate(model, on: data.test)
        return TrainingOutcome(
            model: model, metadata: metadata, modelFile: ModelFile.serialized(model, metadata: metadata),
            history: state.history, validation: state.validation, test: finalTest,
            trainSeconds: state.trainSeconds,
            imagesPerSecond: Double(state.trainedImages) / max(state.trainSeconds, 1e-9),
            pruneRounds: rounds, snapshots: snapshots)
    }

    /// A snapshot job's cycles (`SnapshotSettings`): FGE first trains the normal run. Returns the snapshots of
    /// cycles 1..<K; the network left in `model` is cycle K's.
    private func trainSnapshots(
        _ plan: SnapshotSettings, model: Sequential, loss: SoftmaxCrossEntropy, augmentation: AugmentationSettings,
        state: inout RunState, progress: (TrainingProgress) -> Void, shouldStop: () -> Bool,
        metadata: ModelMetadata
    ) throws -> [TrainingSnapshot] {
        var cycleLength = config.epochs / plan.count
        var rate: ((Double, Int) -> Float)?
        if plan.style == .fge {
            try trainEpochs(
                model, count: config.epochs, loss: loss, augmentation: augmentation, state: &state,
                progress: progress, shouldStop: shouldStop)
            cycleLength = plan.cycleEpochs ?? 1
            let base = config.optimizer.learningRate
            rate = { epoch, count in
                let t = Float(epoch / Double(count))
                return base * (SnapshotSettings.fgeStartShare * (1 - t) + SnapshotSettings.fgeEndShare * t)
            }
        }
        var taken: [TrainingSnapshot] = []
        for cycle in 1...plan.count {
            try trainEpochs(
                model, count: cycleLength, loss: loss, augmentation: augmentation, state: &state,
                progress: progress, shouldStop: shouldStop, rate: rate)
            guard cycle < plan.count else { break }
            taken.append(
                TrainingSnapshot(
                    cycle: cycle, modelFile: ModelFile.serialized(model, metadata: metadata), history: state.history,
                    validation: state.validation, test: evaluate(model, on: data.test)))
        }
        return taken
    }

    /// Seconds spent timing inference after each pruning round.
    public var inferenceTimingSeconds: Double = 0.9

    /// What the phases of one run (training, then each retraining) add up.
    private struct RunState {
        var totalEpochs: Int
        var epochsDone = 0
        var history: [EpochStats] = []
        var trainSeconds = 0.0
        var trainedImages = 0
        var validation: Evaluation?
    }

    /// The network the run starts from: a fresh one from `model`, or the `initFrom` file, given a new head
    /// when it scores other classes than the data's.
    private func initialModel(classes: Int, classNames: [String]) throws -> Sequential {
        let imageShape = data.train.imageShape
        guard let path = config.initFrom else {
            let spec = try ModelSpec(parsing: config.model, inputShape: imageShape, classes: classes)
            let model = try Sequential(spec: spec, seed: config.seed)
            // `Sequential` draws He weights itself; other schemes draw again from the same stream.
            if let scheme = config.initialization, scheme != .he { model.reinitialize(scheme, seed: config.seed) }
            return model
        }
        let (loaded, metadata) = try ModelFile.load(path: path)
        guard loaded.spec.inputShape == imageShape else {
            throw TransferError.inputMismatch(path: path, model: loaded.spec.inputShape, data: imageShape)
        }
        if loaded.spec.classes == classes && metadata.classNames == classNames { return loaded }
        return try TransferLearning.replacingHead(of: loaded, classes: classes, seed: config.seed)
    }

    /// One phase of `count` epochs with a fresh optimizer whose schedule spans the phase; `rate` replaces the
    /// schedule (FGE's cycles).
    private func trainEpochs(
        _ model: Sequential, count: Int, loss: SoftmaxCrossEntropy, augmentation: AugmentationSettings,
        state: inout RunState, progress: (TrainingProgress) -> Void,
        shouldStop: () -> Bool, rate: ((_ epoch: Double, _ epochs: Int) -> Float)? = nil
    ) throws {
        guard count > 0 else { return }
        let train = data.train
        // A bagged member's epochs visit its own sample; `order` indexes the sample, `sample[order[i]]` the set.
        let sample = try config.sample.map {
            try MemberSample(parsing: $0).indices(count: train.count, seed: config.seed)
        }
        let sampleLabels = sample.map { $0.map { train.labels[$0] } } ?? train.labels
        let teacher = try config.distillation.map {
            try StudentTargets(settings: $0, data: data, classes: loss.classes)
        }
        var batchTargets: [Float] = []
        let optimizer = config.optimizer.makeOptimizer(parameters: model.parameters)
        let images = Tensor(shape: [config.batchSize] + train.imageShape)
        var labels: [Int32] = []
        // The average restarts with each phase, as the optimizer does; its last value becomes the model.
        let average = config.ema.map { WeightAverage(model: model, decay: $0) }
        for local in 1...count {
            let epoch = state.epochsDone + 1
            optimizer.beginEpoch(local)
            let drawn = epochOrder(labels: sampleLabels, strategy: config.sampling, epoch: epoch, seed: config.seed)
            let order = sample.map { sample in drawn.map { sample[$0] } } ?? drawn
            let batchesPerEpoch = (order.count + config.batchSize - 1) / config.batchSize
            let loader = BatchLoader(
                dataset: train, batchSize: config.batchSize, normalization: data.normalization,
                augmentation: augmentation, order: order, seed: config.seed, epoch: epoch)
            let start = Date()
            var lastReport = start
            var lossSum = 0.0, correct = 0, seen = 0, batch = 0
            while loader.next(into: images, labels: &labels) {
                if shouldStop() { throw TrainingError.cancelled }
                // The rate for the batch about to finish: (batch + 1) keeps warm-up's first step above zero.
                let fraction = Double(local - 1) + Double(batch + 1) / Double(max(batchesPerEpoch, 1))
                optimizer.learningRate =
                    rate?(fraction, count) ?? config.optimizer.rate(epoch: fraction, totalEpochs: count)
                model.zeroGradients()
                let logits = model.forwardTraining(images)
                var batchLoss = labels.withUnsafeBufferPointer { loss.forward(logits: logits, labels: $0) }
                if let teacher {
                    // Batch b holds order[b·batchSize ..< b·batchSize + n], as the loader hands it out.
                    let first = batch * config.batchSize
                    teacher.fill(&batchTargets, images: images, indices: order[first..<(first + labels.count)])
                    batchLoss = teacher.settings.blend(
                        logits: logits, hardLoss: batchLoss, gradient: loss.gradient, targets: batchTargets,
                        classes: loss.classes)
                }
                guard batchLoss.isFinite else { throw TrainingError.diverged(epoch: epoch, batch: batch + 1) }
                correct += labels.withUnsafeBufferPointer { loss.correctCount(logits: logits, labels: $0) }
                model.backward(loss.gradient)
                optimizer.step()
                average?.update()
                lossSum += Double(batchLoss) * Double(labels.count)
                seen += labels.count
                batch += 1
                let now = Date()
                if now.timeIntervalSince(lastReport) >= progressInterval && batch < batchesPerEpoch {
                    lastReport = now
                    let elapsed = now.timeIntervalSince(start)
                    progress(
                        report(
                            epoch: epoch, epochs: state.totalEpochs, batch: batch, batches: batchesPerEpoch,
                            lossSum: lossSum, correct: correct, seen: seen, elapsed: elapsed, finished: nil))
                }
            }
            let seconds = Date().timeIntervalSince(start)
            state.trainSeconds += seconds
            state.trainedImages += seen
            state.epochsDone = epoch
            // Mid-run the average is swapped in for validation only; after the last epoch it stays.
            if local == count { average?.copyAverageIntoModel() }
            let scoreValidation = { self.evaluate(model, on: self.data.validation) }
            state.validation =
                data.validation.count > 0
                ? (local < count ? average?.withAverage(scoreValidation) : nil) ?? scoreValidation() : nil
            let stats = EpochStats(
                epoch: epoch, trainLoss: lossSum / Double(max(seen, 1)),
                trainAccuracy: Double(correct) / Double(max(seen, 1)),
                validationLoss: state.validation?.loss, validationAccuracy: state.validation?.accuracy,
                learningRate: Double(optimizer.learningRate), seconds: seconds,
                imagesPerSecond: Double(seen) / max(seconds, 1e-9))
            state.history.append(stats)
            progress(
                report(
                    epoch: epoch, epochs: state.totalEpochs, batch: batch, batches: batchesPerEpoch, lossSum: lossSum,
                    correct: correct, seen: seen, elapsed: seconds, finished: stats))
        }
    }

    /// Scores `dataset` with the run's test-time augmentation.
    private func evaluate(_ model: Sequential, on dataset: Dataset) -> Evaluation {
        Evaluation.run(
            model, on: dataset, normalization: data.normalization,
            testTimeAugmentation: config.testTimeAugmentation ?? .none)
    }

    private func report(
        epoch: Int, epochs: Int, batch: Int, batches: Int, lossSum: Double, correct: Int, seen: Int,
        elapsed: Double, finished: EpochStats?
    ) -> TrainingProgress {
        let rate = Double(seen) / max(elapsed, 1e-9)
        let imagesPerEpoch = Double(batches * config.batchSize)
        let remaining = imagesPerEpoch * Double(epochs - epoch) + max(0, imagesPerEpoch - Double(seen))
        return TrainingProgress(
            epoch: epoch, epochs: epochs, batch: batch, batches: batches,
            loss: lossSum / Double(max(seen, 1)), accuracy: Double(correct) / Double(max(seen, 1)),
            imagesPerSecond: rate, etaSeconds: remaining / max(rate, 1e-9), finishedEpoch: finished)
    }
}
