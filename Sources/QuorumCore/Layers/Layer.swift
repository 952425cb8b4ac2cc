/// One step of a sequential network: a forward/backward pair over NHWC or (N, F) tensors.
///
/// Layers own their output and input-gradient buffers and reuse them across steps, so the tensors they
/// return stay valid only until the next call of the same method. `backward` must follow the `forward`
/// of the same batch; it adds parameter gradients into `Parameter.gradient` (callers zero them).
public protocol Layer: AnyObject {
    /// The spec text of this layer, e.g. `conv3x3(32)`, `relu`, `dropout(0.25)`.
    var spec: String { get }
    /// The learnable tensors, in a fixed order (weights before biases).
    var parameters: [Parameter] { get }
    /// Non-learnable state saved with the model (BatchNorm running statistics), in a fixed order.
    var buffers: [Parameter] { get }
    /// One sample's output shape, given one sample's input shape (`[H, W, C]` or `[F]`).
    var outputShape: [Int] { get }
    /// One sample's input shape.
    var inputShape: [Int] { get }
    /// Multiply-adds times two for one sample's forward pass.
    var forwardFLOPs: Int { get }
    /// Computes the output for a batch. `training` selects dropout and batch statistics.
    func forward(_ input: Tensor, training: Bool) -> Tensor
    /// Given dLoss/dOutput, accumulates parameter gradients and returns dLoss/dInput
    /// (or nil when `needInputGradient` is false, which the first layer uses to skip work).
    func backward(_ gradOutput: Tensor, needInputGradient: Bool) -> Tensor?
}

public extension Layer {
    var buffers: [Parameter] { [] }
    var parameters: [Parameter] { [] }
}
