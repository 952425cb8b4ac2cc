extension Sequential {
    /// A training-mode forward pass in which layers whose parameters are all frozen run in inference mode:
    /// a frozen BatchNorm then normalises with, and keeps, its running statistics, so a frozen layer's
    /// saved bytes do not move. With nothing frozen it is `forward(input, training: true)`.
    public func forwardTraining(_ input: Tensor) -> Tensor {
        var x = input
        for layer in layers {
            let params = layer.parameters
            let frozen = !params.isEmpty && !params.contains { $0.trainable }
            x = layer.forward(x, training: !frozen)
        }
        return x
    }
}
