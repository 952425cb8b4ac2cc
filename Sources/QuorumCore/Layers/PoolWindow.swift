/// The window rules every pooling layer shares.
enum PoolWindow {
    /// Checks that a `kind` pool (`maxpool`, `avgpool`) of `size`×`size` windows every `stride` pixels can
    /// follow a layer whose per-sample output is `inputShape`.
    static func validate(kind: String, inputShape: [Int], size: Int, stride: Int?) throws {
        let name = "\(kind)\(size)"
        guard size > 0, (stride ?? size) > 0 else {
            throw LayerError.invalidArgument(
                layer: name, detail: "size \(size) and stride \(stride ?? size) must be positive")
        }
        guard inputShape.count == 3, inputShape.allSatisfy({ $0 > 0 }) else {
            throw LayerError.needsImage(layer: name, inputShape: inputShape)
        }
        guard inputShape[0] >= size, inputShape[1] >= size else {
            throw LayerError.windowTooLarge(layer: name, window: size, inputShape: inputShape)
        }
    }
}
