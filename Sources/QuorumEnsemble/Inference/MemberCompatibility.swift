import QuorumCore

/// What the members of one ensemble must share, checked where an ensemble is built and where it is loaded:
/// the input shape, the number of classes and the class names.
public enum MemberCompatibility {
    /// Throws `InferenceError.memberMismatch` naming `file` and the first field in which `metadata` differs
    /// from the ensemble's `inputShape`, `classes` and `classNames`.
    public static func check(
        _ metadata: ModelMetadata, file: String, inputShape: [Int], classes: Int,
        classNames: [String]
    ) throws {
        func mismatch(_ field: String, _ expected: Any, _ found: Any) -> InferenceError {
            .memberMismatch(file: file, field: field, expected: "\(expected)", found: "\(found)")
        }
        guard metadata.spec.inputShape == inputShape else {
            throw mismatch("input shape", inputShape, metadata.spec.inputShape)
        }
        guard metadata.spec.classes == classes else { throw mismatch("classes", classes, metadata.spec.classes) }
        guard metadata.classNames == classNames else { throw mismatch("class names", classNames, metadata.classNames) }
    }
}
