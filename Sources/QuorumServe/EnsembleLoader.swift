import Dispatch
import Foundation
import Logging
import QuorumEnsemble
import ServiceLifecycle

/// Loads the members once the server listens (so `/healthz` answers at once and `/readyz` tells when voting
/// can start), publishes them, and then waits for shutdown. A folder that cannot be loaded stops the server
/// with the loader's error.
struct EnsembleLoader: Service {
    let directory: URL
    let settings: ServeSettings
    let state: ServeState
    let metrics: ServeMetrics
    let logger: Logger

    func run() async throws {
        let start = ContinuousClock.now
        let directory = directory, threads = settings.threads
        let engine = try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(
                    with: Result {
                        try VoteEngine(predictor: EnsemblePredictor(directory: directory), threads: threads)
                    })
            }
        }
        let elapsed = ContinuousClock.now - start
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let manifest = engine.predictor.manifest
        let metrics = metrics
        let batcher = VoteBatcher(engine: engine, maxDelay: settings.maxDelay, maxBatch: settings.maxBatch) {
            metrics.batch(images: $0)
        }
        let loader = InputLoader(inputShape: manifest.inputShape, classes: manifest.classNames.count)
        state.publish(
            LoadedEnsemble(
                manifest: manifest, decoder: ImageRequestDecoder(loader: loader, maxImages: settings.maxImages),
                batcher: batcher))
        metrics.loaded(seconds: seconds)
        logger.info(
            "loaded \(manifest.members.count) members in \(String(format: "%.2f", seconds)) s; ready",
            metadata: ["ensemble": "\(directory.path)"])
        try? await gracefulShutdown()
    }
}
