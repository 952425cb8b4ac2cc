/// Why a layer cannot be built with the given arguments on the given per-sample input shape.
///
/// Every layer with arguments has a `static func validate(…) throws` that the model builder calls before
/// the initialiser, so a bad spec becomes a message instead of a crash; the initialisers then only
/// assert what `validate` already checked.
public enum LayerError: Error, CustomStringConvertible, Equatable {
    /// A 2-D layer was placed where the per-sample input is not `[H, W, C]`.
    case needsImage(layer: String, inputShape: [Int])
    /// A dense layer was placed where the per-sample input is not flat.
    case needsFlatInput(layer: String, inputShape: [Int])
    /// The kernel or window does not fit the (padded) input.
    case windowTooLarge(layer: String, window: Int, inputShape: [Int])
    /// An argument is out of its range.
    case invalidArgument(layer: String, detail: String)

    /// A message naming the layer, what it got and what it expected.
    public var description: String {
        switch self {
        case let .needsImage(layer, shape):
            return
                "\(layer): expected an [H, W, C] image input, got per-sample shape \(shape) (place it before flatten)"
        case let .needsFlatInput(layer, shape):
            return "\(layer): expected a flat [F] input, got per-sample shape \(shape) (add flatten before it)"
        case let .windowTooLarge(layer, window, shape):
            return "\(layer): a \(window)x\(window) window does not fit the input of shape \(shape)"
        case let .invalidArgument(layer, detail):
            return "\(layer): \(detail)"
        }
    }
}
