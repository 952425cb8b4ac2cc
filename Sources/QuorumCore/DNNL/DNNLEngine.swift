import CDNNL

/// The CPU engine and the in-order stream every oneDNN primitive of this process runs on.
///
/// Both are created once: an engine is the handle oneDNN's kernel cache and allocator hang off, and
/// creating one per layer would only multiply that state.
final class DNNLEngine: @unchecked Sendable {
    /// The engine handle.
    let engine: dnnl_engine_t
    /// The stream primitives execute on; CPU execution is synchronous on it.
    let stream: dnnl_stream_t

    /// The process-wide CPU engine, or the error creating it raised.
    static let shared: Result<DNNLEngine, any Error> = Result { try DNNLEngine() }

    /// The process-wide CPU engine.
    static func cpu() throws -> DNNLEngine { try shared.get() }

    private init() throws {
        var engine: dnnl_engine_t?
        try DNNL.check(dnnl_engine_create(&engine, dnnl_cpu, 0), "dnnl_engine_create", "the CPU engine")
        var stream: dnnl_stream_t?
        let status = dnnl_stream_create(&stream, engine, dnnl_stream_default_flags.rawValue)
        if status != dnnl_success { dnnl_engine_destroy(engine) }
        try DNNL.check(status, "dnnl_stream_create", "the CPU engine's stream")
        self.engine = engine!
        self.stream = stream!
    }

    deinit {
        dnnl_stream_destroy(stream)
        dnnl_engine_destroy(engine)
    }
}
