import CDNNL

/// The primitives of one convolution for one batch size and thread count, built on first use.
///
/// oneDNN fixes the batch size and splits work across threads when a primitive is created, so a
/// convolution keeps one plan per (batch, threads) and reuses it for every step with those values.
final class DNNLConvolutionPlan {
    private let shape: DNNLConvolutionShape
    private let batch: Int
    private let layout: DNNLLayout
    private let engine: DNNLEngine
    private let subject: String

    // Caller-side layouts.
    private let userSource: dnnl_memory_desc_t
    private let userWeights: dnnl_memory_desc_t
    private let userBias: dnnl_memory_desc_t
    private let userDestination: dnnl_memory_desc_t
    // What the kernels may choose from.
    private let kernelSource: dnnl_memory_desc_t
    private let kernelWeights: dnnl_memory_desc_t
    private let kernelDestination: dnnl_memory_desc_t
    // The weight-gradient step's activation layouts (see `DNNLLayout.mixed`).
    private let gradientSource: dnnl_memory_desc_t
    private let gradientDestination: dnnl_memory_desc_t

    private var trainingForward: DNNLConvolutionStep?
    private var inferenceForward: DNNLConvolutionStep?
    private var dataBackward: DNNLConvolutionStep?
    private var weightsBackward: DNNLConvolutionStep?

    /// Describes the layouts for `batch` images; primitives are created by the first call needing them.
    init(shape: DNNLConvolutionShape, batch: Int, layout: DNNLLayout, engine: DNNLEngine) throws {
        self.shape = shape
        self.batch = batch
        self.layout = layout
        self.engine = engine
        subject = "\(shape), batch \(batch)"
        userSource = try DNNLMemory.desc(shape.sourceDims(batch), dnnl_nhwc, subject: subject)
        userWeights = try DNNLMemory.desc(shape.weightDims, dnnl_hwio, subject: subject)
        userBias = try DNNLMemory.desc([shape.outChannels], dnnl_x, subject: subject)
        userDestination = try DNNLMemory.desc(shape.destinationDims(batch), dnnl_nhwc, subject: subject)
        let weights = layout == .plain ? dnnl_hwio : dnnl_format_tag_any
        kernelWeights = try DNNLMemory.desc(shape.weightDims, weights, subject: subject)
        let chosen = try DNNLMemory.desc(shape.sourceDims(batch), dnnl_format_tag_any, subject: subject)
        let chosenOut = try DNNLMemory.desc(shape.destinationDims(batch), dnnl_format_tag_any, subject: subject)
        let blocked = layout.blocksActivations(weightGradient: false, inChannels: shape.inChannels)
        kernelSource = blocked ? chosen : userSource
        kernelDestination = blocked ? chosenOut : userDestination
        let blockedForGradient = layout.blocksActivations(weightGradient: true, inChannels: shape.inChannels)
        gradientSource = blockedForGradient ? chosen : userSource
        gradientDestination = blockedForGradient ? chosenOut : userDestination
    }

    /// Forward step; operands: source, weights, bias, destination.
    func forward(training: Bool) throws -> DNNLConvolutionStep {
        if training, let trainingForward { return trainingForward }
        if !training, let inferenceForward { return inferenceForward }
        let step = try makeForward(training: training)
        if training { trainingForward = step } else { inferenceForward = step }
        return step
    }

    /// Backward-data step; operands: output gradient, weights, input gradient (overwritten).
    func backwardData() throws -> DNNLConvolutionStep {
        if let dataBackward { return dataBackward }
        let hint = try forward(training: true).primitive.descriptor
        var desc = dnnl_convolution_desc_t()
        var diffSource = kernelSource, weights = kernelWeights, diffDestination = kernelDestination
        try geometry { strides, padding in
            try DNNL.check(
                dnnl_convolution_backward_data_desc_init(
                    &desc, dnnl_convolution_direct, &diffSource, &weights,
                    &diffDestination, strides, padding, padding),
                "dnnl_convolution_backward_data_desc_init", subject)
        }
        let primitive = try makePrimitive(&desc, hint: hint, what: "backward data")
        let step = DNNLConvolutionStep(
            primitive: primitive,
            arguments: [
                (
                    DNNL_ARG_DIFF_DST,
                    try operand(userDestination, primitive, dnnl_query_diff_dst_md, .input, "output gradient")
                ),
                (DNNL_ARG_WEIGHTS, try operand(userWeights, primitive, dnnl_query_weights_md, .input, "weights")),
                (
                    DNNL_ARG_DIFF_SRC,
                    try operand(userSource, primitive, dnnl_query_diff_src_md, .output, "input gradient")
                )
            ])
        dataBackward = step
        return step
    }

    /// Backward-weights step; operands: source, output gradient, weight gradient (+=), bias gradient (+=).
    func backwardWeights() throws -> DNNLConvolutionStep {
        if let weightsBackward { return weightsBackward }
        let hint = try forward(training: true).primitive.descriptor
        var desc = dnnl_convolution_desc_t()
        var source = gradientSource, diffWeights = kernelWeights, diffBias = userBias,
            diffDestination = gradientDestination
        try geometry { strides, padding in
            try DNNL.check(
                dnnl_convolution_backward_weights_desc_init(
                    &desc, dnnl_convolution_direct, &source, &diffWeights,
                    &diffBias, &diffDestination, strides, padding, padding),
                "dnnl_convolution_backward_weights_desc_init", subject)
        }
        let primitive = try makePrimitive(&desc, hint: hint, what: "backward weights")
        let step = DNNLConvolutionStep(
            primitive: primitive,
            arguments: [
                (DNNL_ARG_SRC, try operand(userSource, primitive, dnnl_query_src_md, .input, "input")),
                (
                    DNNL_ARG_DIFF_DST,
                    try operand(userDestination, primitive, dnnl_query_diff_dst_md, .input, "output gradient")
                ),
                (
                    DNNL_ARG_DIFF_WEIGHTS,
                    try operand(
                        userWeights, primitive, dnnl_query_diff_weights_md, .accumulatingOutput,
                        "weight gradient")
                ),
                (
                    DNNL_ARG_DIFF_BIAS,
                    try operand(
                        userBias, primitive, dnnl_query_diff_weights_md, .accumulatingOutput,
                        "bias gradient", index: 1)
                )
            ])
        weightsBackward = step
        return step
    }

    /// The kernels oneDNN picked for the steps built so far, for benchmarks.
    var implementations: [String: String] {
        var names: [String: String] = [:]
        names["forward"] = (trainingForward ?? inferenceForward)?.primitive.implementation
        names["backward data"] = dataBackward?.primitive.implementation
        names["backward weights"] = weightsBackward?.primitive.implementation
        return names
    }

    /// Whether any operand of the built steps goes through a reorder, for benchmarks.
    var reorderCount: Int {
        [trainingForward, inferenceForward, dataBackward, weightsBackward].compactMap { $0 }
            .flatMap(\.operands).filter(\.reorders).count
    }

    private func makeForward(training: Bool) throws -> DNNLConvolutionStep {
        var desc = dnnl_convolution_desc_t()
        var source = kernelSource, weights = kernelWeights, bias = userBias, destination = kernelDestination
        let kind = training ? dnnl_forward_training : dnnl_forward_inference
        try geometry { strides, padding in
            try DNNL.check(
                dnnl_convolution_forward_desc_init(
                    &desc, kind, dnnl_convolution_direct, &source, &weights, &bias,
                    &destination, strides, padding, padding),
                "dnnl_convolution_forward_desc_init", subject)
        }
        let primitive = try makePrimitive(&desc, hint: nil, what: training ? "forward training" : "forward inference")
        return DNNLConvolutionStep(
            primitive: primitive,
            arguments: [
                (DNNL_ARG_SRC, try operand(userSource, primitive, dnnl_query_src_md, .input, "input")),
                (DNNL_ARG_WEIGHTS, try operand(userWeights, primitive, dnnl_query_weights_md, .input, "weights")),
                (DNNL_ARG_BIAS, try operand(userBias, primitive, dnnl_query_weights_md, .input, "bias", index: 1)),
                (DNNL_ARG_DST, try operand(userDestination, primitive, dnnl_query_dst_md, .output, "output"))
            ])
    }

    /// Calls `body` with the strides and (symmetric) padding arrays oneDNN's descriptor functions take.
    private func geometry(_ body: (UnsafePointer<Int64>, UnsafePointer<Int64>) throws -> Void) throws {
        let strides: [Int64] = [Int64(shape.stride), Int64(shape.stride)]
        let padding: [Int64] = [Int64(shape.padding), Int64(shape.padding)]
        try strides.withUnsafeBufferPointer { s in
            try padding.withUnsafeBufferPointer { p in try body(s.baseAddress!, p.baseAddress!) }
        }
    }

    private func makePrimitive(
        _ desc: inout dnnl_convolution_desc_t, hint: dnnl_primitive_desc_t?,
        what: String
    ) throws -> DNNLPrimitive {
        let attributes = try DNNLAttributes(subject: "\(subject) \(what)")
        var pd: dnnl_primitive_desc_t?
        try DNNL.check(
            dnnl_primitive_desc_create(&pd, &desc, attributes.handle, engine.engine, hint),
            "dnnl_primitive_desc_create (\(what))", subject)
        return try DNNLPrimitive(descriptor: pd!, engine: engine, subject: "\(subject) \(what)")
    }

    private func operand(
        _ user: dnnl_memory_desc_t, _ primitive: DNNLPrimitive, _ query: dnnl_query_t,
        _ role: DNNLOperand.Role, _ name: String, index: Int32 = 0
    ) throws -> DNNLOperand {
        guard let md = dnnl_primitive_desc_query_md(primitive.descriptor, query, index) else {
            throw DNNLError.callFailed(
                call: "dnnl_primitive_desc_query_md (\(name))", status: "no such argument",
                subject: subject)
        }
        return try DNNLOperand(user: user, inner: md.pointee, role: role, engine: engine, subject: "\(subject) \(name)")
    }
}
