import CDNNL

/// One convolution primitive (forward, backward-data or backward-weights) with its operands.
///
/// `operands` are in the order the caller binds them; `run` reorders inputs in, executes, and
/// reorders outputs back out.
final class DNNLConvolutionStep {
    /// The convolution primitive itself.
    let primitive: DNNLPrimitive
    /// The arguments, inputs first, in the order documented by the plan that built them.
    let operands: [DNNLOperand]

    /// A step over `primitive` whose arguments are `(DNNL_ARG_*, operand)` pairs.
    init(primitive: DNNLPrimitive, arguments: [(Int32, DNNLOperand)]) {
        self.primitive = primitive
        operands = arguments.map(\.1)
        for (arg, operand) in arguments { primitive.attach(arg, operand.inner) }
    }

    /// Runs the step on the currently bound buffers.
    @inline(__always)
    func run(on engine: DNNLEngine) throws {
        for operand in operands { try operand.prepare(on: engine) }
        try primitive.execute(on: engine)
        for operand in operands { try operand.finish(on: engine) }
    }
}
