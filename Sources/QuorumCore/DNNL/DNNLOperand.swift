import CDNNL

/// One primitive argument seen from both sides: the caller's plain buffer, and the layout the kernel wants.
///
/// When the two layouts differ, the operand owns a buffer in the kernel's layout (allocated once) and a
/// cached reorder between them; when they agree, the kernel reads or writes the caller's buffer directly.
final class DNNLOperand {
    /// How data flows through this argument.
    enum Role {
        /// The kernel reads it: reorder caller → kernel before running.
        case input
        /// The kernel writes it: reorder kernel → caller after running.
        case output
        /// The kernel writes it and the caller's buffer accumulates it (+=), through a summing reorder.
        case accumulatingOutput
    }

    /// The memory bound to the caller's pointer.
    let user: DNNLMemory
    /// The memory the kernel uses (the same object as `user` when no reorder is needed).
    let inner: DNNLMemory
    private let reorder: DNNLPrimitive?
    private let role: Role

    /// An operand whose caller layout is `user` and whose kernel layout is `inner`.
    init(
        user userDesc: dnnl_memory_desc_t, inner innerDesc: dnnl_memory_desc_t, role: Role,
        engine: DNNLEngine, subject: String
    ) throws {
        self.role = role
        user = try DNNLMemory(userDesc, engine: engine, owned: false, subject: subject)
        guard role == .accumulatingOutput || !DNNLMemory.same(userDesc, innerDesc) else {
            inner = user
            reorder = nil
            return
        }
        inner = try DNNLMemory(innerDesc, engine: engine, owned: true, subject: subject)
        let (from, to) = role == .input ? (user, inner) : (inner, user)
        let attributes = try DNNLAttributes(accumulate: role == .accumulatingOutput, subject: "\(subject) reorder")
        var pd: dnnl_primitive_desc_t?
        var src = from.desc, dst = to.desc
        try DNNL.check(
            dnnl_reorder_primitive_desc_create(&pd, &src, engine.engine, &dst, engine.engine, attributes.handle),
            "dnnl_reorder_primitive_desc_create", "\(subject) reorder")
        let primitive = try DNNLPrimitive(descriptor: pd!, engine: engine, subject: "\(subject) reorder")
        primitive.attach(DNNL_ARG_FROM, from)
        primitive.attach(DNNL_ARG_TO, to)
        reorder = primitive
    }

    /// Whether data passes through a reorder (for benchmarks and tests).
    var reorders: Bool { reorder != nil }

    /// Points the caller side at `pointer` for the next run.
    @inline(__always)
    func bind(_ pointer: UnsafeRawPointer) { user.bind(pointer) }

    /// Brings an input into the kernel's layout; does nothing for outputs or matching layouts.
    @inline(__always)
    func prepare(on engine: DNNLEngine) throws {
        if role == .input, let reorder { try reorder.execute(on: engine) }
    }

    /// Hands an output back to the caller's layout (adding to it when accumulating).
    @inline(__always)
    func finish(on engine: DNNLEngine) throws {
        if role != .input, let reorder { try reorder.execute(on: engine) }
    }
}
