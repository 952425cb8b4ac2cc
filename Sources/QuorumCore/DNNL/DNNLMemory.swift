import CDNNL

/// A oneDNN memory object: a descriptor plus either a buffer it owns or a caller's pointer bound per call.
final class DNNLMemory {
    /// The layout this memory has.
    let desc: dnnl_memory_desc_t
    /// The handle primitives take as an argument.
    let handle: dnnl_memory_t

    /// A memory of layout `desc`; `owned` allocates its buffer now (once), otherwise `bind` supplies one.
    init(_ desc: dnnl_memory_desc_t, engine: DNNLEngine, owned: Bool, subject: @autoclosure () -> String) throws {
        self.desc = desc
        var memory: dnnl_memory_t?
        var d = desc
        // DNNL_MEMORY_ALLOCATE is the C macro ((void *)(size_t)-1); Swift does not import casts in macros.
        let allocate = owned ? UnsafeMutableRawPointer(bitPattern: -1) : nil
        try DNNL.check(dnnl_memory_create(&memory, &d, engine.engine, allocate), "dnnl_memory_create", subject())
        handle = memory!
    }

    deinit { dnnl_memory_destroy(handle) }

    /// Points this memory at a caller's buffer for the next executions.
    @inline(__always)
    func bind(_ pointer: UnsafeRawPointer) {
        dnnl_memory_set_data_handle(handle, UnsafeMutableRawPointer(mutating: pointer))
    }

    /// Whether two layouts are the same (same dims, type and physical format).
    static func same(_ a: dnnl_memory_desc_t, _ b: dnnl_memory_desc_t) -> Bool {
        var a = a, b = b
        return dnnl_memory_desc_equal(&a, &b) != 0
    }

    /// A plain descriptor of f32 `dims` (oneDNN's logical order) laid out by `tag`.
    static func desc(_ dims: [Int], _ tag: dnnl_format_tag_t, subject: @autoclosure () -> String) throws
        -> dnnl_memory_desc_t
    {
        var d = dnnl_memory_desc_t()
        let dims64 = dims.map(Int64.init)
        try DNNL.check(
            dnnl_memory_desc_init_by_tag(&d, Int32(dims.count), dims64, dnnl_f32, tag),
            "dnnl_memory_desc_init_by_tag", subject())
        return d
    }
}
