import NIOConcurrencyHelpers
import QuorumEnsemble

/// What the routes need once the members are loaded; nil in `ServeState` until then.
struct LoadedEnsemble: Sendable {
    let manifest: EnsembleManifest
    let decoder: ImageRequestDecoder
    let batcher: VoteBatcher
}

/// The ensemble as the routes see it: not yet loaded (`/readyz` answers 503) or loaded.
final class ServeState: Sendable {
    private let loaded = NIOLockedValueBox<LoadedEnsemble?>(nil)

    /// The loaded ensemble, or `ServeError.notReady`.
    func ensemble() throws -> LoadedEnsemble {
        guard let ensemble = loaded.withLockedValue({ $0 }) else {
            throw ServeError.notReady("the ensemble's members are still loading; see /readyz")
        }
        return ensemble
    }

    /// Publishes the loaded ensemble to the routes.
    func publish(_ ensemble: LoadedEnsemble) { loaded.withLockedValue { $0 = ensemble } }
}
