import CDNNL

/// A 2-D convolution of fixed geometry run by oneDNN on caller-owned NHWC/HWIO buffers.
///
/// Layouts: input (N, H, W, Cin) and output (N, H', W', Cout) NHWC; weight `[K*K*Cin, Cout]` with row
/// `(ky*K + kx)*Cin + c` (HWIO); bias `[Cout]`. Kernels are built on first use for each batch size and
/// thread count and cached, so steady-state calls allocate nothing. Results are bit-identical from run
/// to run and across thread counts: the forward and input-gradient passes sum in an order that does not
/// depend on the split, and the weight gradient runs on one thread. An instance keeps that cache without
/// locks: use it from one thread at a time (one per layer, as layers are).
public final class DNNLConvolution {
    /// Input height and width.
    public var height: Int { shape.height }
    /// Input width.
    public var width: Int { shape.width }
    /// Input channels.
    public var inChannels: Int { shape.inChannels }
    /// Output channels (filters).
    public var outChannels: Int { shape.outChannels }
    /// Kernel side.
    public var kernel: Int { shape.kernel }
    /// Stride in both directions.
    public var stride: Int { shape.stride }
    /// Zero padding on every border.
    public var padding: Int { shape.padding }
    /// Output height.
    public var outHeight: Int { shape.outHeight }
    /// Output width.
    public var outWidth: Int { shape.outWidth }

    let shape: DNNLConvolutionShape
    let layout: DNNLLayout
    private let engine: DNNLEngine
    private var plans: [PlanKey: DNNLConvolutionPlan] = [:]
    private var lastKey: PlanKey?
    private var lastPlan: DNNLConvolutionPlan?

    private struct PlanKey: Hashable {
        let batch: Int
        let threads: Int
    }

    /// A convolution of `inChannels` → `outChannels` over `height`×`width` images with a `kernel`×`kernel`
    /// window. Throws when the geometry leaves no output or oneDNN's CPU engine cannot start.
    public convenience init(
        height: Int, width: Int, inChannels: Int, outChannels: Int,
        kernel: Int, stride: Int = 1, padding: Int = 0
    ) throws {
        try self.init(
            shape: DNNLConvolutionShape(
                height: height, width: width, inChannels: inChannels,
                outChannels: outChannels, kernel: kernel, stride: stride,
                padding: padding),
            layout: .mixed)
    }

    /// A convolution whose kernels may use `layout` (benchmarks compare layouts through this).
    init(shape: DNNLConvolutionShape, layout: DNNLLayout) throws {
        let valid =
            shape.height > 0 && shape.width > 0 && shape.inChannels > 0 && shape.outChannels > 0
            && shape.kernel > 0 && shape.stride > 0 && shape.padding >= 0
            && shape.height + 2 * shape.padding >= shape.kernel && shape.width + 2 * shape.padding >= shape.kernel
        guard valid else {
            throw DNNLError.callFailed(
                call: "DNNLConvolution.init", status: "invalid geometry",
                subject: "\(shape) (positive sizes and a kernel no larger than the padded image expected)")
        }
        self.shape = shape
        self.layout = layout
        engine = try DNNLEngine.cpu()
    }

    /// Builds the forward and backward kernels for `batch` images now, so later calls cannot fail on it.
    public func prepare(batch: Int, training: Bool = true) throws {
        let plan = try self.plan(batch)
        _ = try plan.forward(training: training)
        if training {
            _ = try plan.backwardData()
            _ = try plan.backwardWeights()
        }
    }

    /// output = conv(input, weight) + bias, for `batch` images.
    // input (N, H, W, Cin), weight (K, K, Cin, Cout), bias (Cout) -> output (N, H', W', Cout)
    public func forward(
        input: UnsafePointer<Float>, weight: UnsafePointer<Float>, bias: UnsafePointer<Float>,
        output: UnsafeMutablePointer<Float>, batch: Int, training: Bool
    ) throws {
        let step = try plan(batch).forward(training: training)
        step.operands[0].bind(input)
        step.operands[1].bind(weight)
        step.operands[2].bind(bias)
        step.operands[3].bind(output)
        try step.run(on: engine)
    }

    /// gradInput = dLoss/dInput given dLoss/dOutput (overwrites `gradInput`).
    // gradOutput (N, H', W', Cout), weight (K, K, Cin, Cout) -> gradInput (N, H, W, Cin)
    public func backwardData(
        gradOutput: UnsafePointer<Float>, weight: UnsafePointer<Float>,
        gradInput: UnsafeMutablePointer<Float>, batch: Int
    ) throws {
        let step = try plan(batch).backwardData()
        step.operands[0].bind(gradOutput)
        step.operands[1].bind(weight)
        step.operands[2].bind(gradInput)
        try step.run(on: engine)
    }

    /// Adds dLoss/dWeight into `gradWeight` (HWIO) and dLoss/dBias into `gradBias`.
    // input (N, H, W, Cin), gradOutput (N, H', W', Cout) -> gradWeight (K, K, Cin, Cout) +=, gradBias (Cout) +=
    public func backwardWeights(
        input: UnsafePointer<Float>, gradOutput: UnsafePointer<Float>,
        gradWeight: UnsafeMutablePointer<Float>, gradBias: UnsafeMutablePointer<Float>,
        batch: Int
    ) throws {
        // oneDNN splits a weight gradient's batch into one partial sum per thread, so its rounding would follow
        // the thread count. On one thread the sum has one order, and weights are bit-identical at every count.
        let threads = DNNL.threads
        if threads != 1 { DNNL.setThreads(1) }
        defer { if threads != 1 { DNNL.setThreads(threads) } }
        let step = try plan(batch).backwardWeights()
        step.operands[0].bind(input)
        step.operands[1].bind(gradOutput)
        step.operands[2].bind(gradWeight)
        step.operands[3].bind(gradBias)
        try step.run(on: engine)
    }

    /// The kernels oneDNN picked for `batch` at the current thread count, by step (for benchmarks).
    func implementations(batch: Int) throws -> [String: String] { try plan(batch).implementations }

    /// How many operands of the built steps for `batch` pass through a reorder (for benchmarks).
    func reorderCount(batch: Int) throws -> Int { try plan(batch).reorderCount }

    /// The plan for `batch` at the calling thread's oneDNN thread count, created on first use.
    @inline(__always)
    private func plan(_ batch: Int) throws -> DNNLConvolutionPlan {
        let key = PlanKey(batch: batch, threads: DNNL.threads)
        if key == lastKey, let lastPlan { return lastPlan }
        guard batch > 0 else {
            throw DNNLError.callFailed(
                call: "DNNLConvolution", status: "invalid batch size",
                subject: "\(shape), batch \(batch) (at least 1 expected)")
        }
        let plan = try plans[key] ?? DNNLConvolutionPlan(shape: shape, batch: batch, layout: layout, engine: engine)
        plans[key] = plan
        lastKey = key
        lastPlan = plan
        return plan
    }
}
