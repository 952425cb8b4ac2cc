import CDNNL

/// Primitive attributes: scratchpad handed in by us (so no kernel allocates per call) and, for reorders
/// that accumulate, a sum post-op (destination = source + destination).
final class DNNLAttributes {
    /// The attribute handle to pass when creating a primitive descriptor.
    let handle: dnnl_primitive_attr_t

    /// Attributes with a user-managed scratchpad, and a sum post-op when `accumulate` is set.
    init(accumulate: Bool = false, subject: @autoclosure () -> String) throws {
        var attr: dnnl_primitive_attr_t?
        try DNNL.check(dnnl_primitive_attr_create(&attr), "dnnl_primitive_attr_create", subject())
        handle = attr!
        try DNNL.check(
            dnnl_primitive_attr_set_scratchpad_mode(handle, dnnl_scratchpad_mode_user),
            "dnnl_primitive_attr_set_scratchpad_mode", subject())
        if accumulate {
            var ops: dnnl_post_ops_t?
            try DNNL.check(dnnl_post_ops_create(&ops), "dnnl_post_ops_create", subject())
            defer { dnnl_post_ops_destroy(ops) }
            try DNNL.check(dnnl_post_ops_append_sum(ops, 1), "dnnl_post_ops_append_sum", subject())
            try DNNL.check(dnnl_primitive_attr_set_post_ops(handle, ops), "dnnl_primitive_attr_set_post_ops", subject())
        }
    }

    deinit { dnnl_primitive_attr_destroy(handle) }
}
