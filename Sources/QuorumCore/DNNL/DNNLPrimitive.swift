import CDNNL

/// A created oneDNN primitive with its descriptor, its own scratchpad and a fixed argument list.
///
/// Arguments are memory objects fixed at build time; only their data pointers change between calls,
/// so executing allocates nothing.
final class DNNLPrimitive {
    /// The primitive descriptor (owned; queried for the layouts the kernel chose).
    let descriptor: dnnl_primitive_desc_t
    /// The executable primitive.
    let primitive: dnnl_primitive_t
    private var args: [dnnl_exec_arg_t] = []
    // Kept alive for as long as `args` refers to their handles.
    private var memories: [DNNLMemory] = []
    private let subject: String

    /// Takes ownership of `descriptor`, creates the primitive and a scratchpad sized as it asks.
    init(descriptor: dnnl_primitive_desc_t, engine: DNNLEngine, subject: String) throws {
        self.descriptor = descriptor
        self.subject = subject
        var primitive: dnnl_primitive_t?
        let status = dnnl_primitive_create(&primitive, descriptor)
        if status != dnnl_success { dnnl_primitive_desc_destroy(descriptor) }
        try DNNL.check(status, "dnnl_primitive_create", subject)
        self.primitive = primitive!
        let scratch = layout(of: dnnl_query_scratchpad_md)
        var s = scratch
        if dnnl_memory_desc_get_size(&s) > 0 {
            attach(
                DNNL_ARG_SCRATCHPAD,
                try DNNLMemory(scratch, engine: engine, owned: true, subject: "\(subject) scratchpad"))
        }
    }

    deinit {
        dnnl_primitive_destroy(primitive)
        dnnl_primitive_desc_destroy(descriptor)
    }

    /// The layout the primitive chose for one of its arguments (e.g. `dnnl_query_src_md`).
    func layout(of query: dnnl_query_t) -> dnnl_memory_desc_t {
        guard let md = dnnl_primitive_desc_query_md(descriptor, query, 0) else { return dnnl_memory_desc_t() }
        return md.pointee
    }

    /// The name of the kernel oneDNN picked (e.g. `jit:avx512_common`), for benchmarks and logs.
    var implementation: String {
        var name: UnsafePointer<CChar>?
        guard dnnl_primitive_desc_query(descriptor, dnnl_query_impl_info_str, 0, &name) == dnnl_success,
            let name
        else { return "unknown" }
        return String(cString: name)
    }

    /// Adds `memory` as argument `arg` (a DNNL_ARG_* value) of every following execution.
    func attach(_ arg: Int32, _ memory: DNNLMemory) {
        memories.append(memory)
        args.append(dnnl_exec_arg_t(arg: arg, memory: memory.handle))
    }

    /// Runs the primitive on the engine's stream and waits for it.
    @inline(__always)
    func execute(on engine: DNNLEngine) throws {
        let status = args.withUnsafeBufferPointer {
            dnnl_primitive_execute(primitive, engine.stream, Int32($0.count), $0.baseAddress)
        }
        try DNNL.check(status, "dnnl_primitive_execute", subject)
    }
}
