/// Updates a fixed list of parameters from their accumulated gradients, one batch at a time.
///
/// An optimizer is built over the model's `[Parameter]` list once; its per-parameter state (momentum,
/// moment estimates) is allocated then and reused, so `step()` never allocates. Parameters whose
/// `trainable` flag is false are skipped entirely: their values and state keep their exact bytes.
/// Weight decay, where an optimizer has it, only touches parameters whose `decays` flag is true.
public protocol Optimizer: AnyObject {
    /// The rate the next `step()` uses; the trainer sets it from the schedule before each batch.
    var learningRate: Float { get set }
    /// Applies one update from the current gradients (which the caller zeroes afterwards).
    func step()
    /// The short name used in settings and logs, e.g. `adam`.
    var name: String { get }
    /// One line with the hyperparameters and the state worth logging (step count, phase).
    var stateDescription: String { get }
    /// Tells the optimizer that an epoch starts; epochs are numbered as the trainer numbers them.
    func beginEpoch(_ epoch: Int)
}

public extension Optimizer {
    /// Most optimizers do not care about epochs.
    func beginEpoch(_ epoch: Int) {}
}
