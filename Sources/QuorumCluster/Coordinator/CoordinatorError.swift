/// A run plan or setting the coordinator cannot work with.
public enum CoordinatorError: Error, CustomStringConvertible, Equatable {
    /// Two planned jobs share an id.
    case duplicateJobId(String)
    /// A planned job's config is not UTF-8 JSON text of an object.
    case invalidConfig(jobId: String, problem: String)
    /// A planned job's field is out of range.
    case invalidJob(jobId: String, field: String, problem: String)
    /// A setting is out of range.
    case invalidSetting(field: String, problem: String)

    /// Human-readable text naming the job or setting.
    public var description: String {
        switch self {
        case .duplicateJobId(let id): return "plan: job id \"\(id)\" appears more than once; ids must be unique"
        case .invalidConfig(let id, let p): return "plan: job \"\(id)\" config \(p); expected a JSON object"
        case .invalidJob(let id, let f, let p): return "plan: job \"\(id)\" field \(f) \(p)"
        case .invalidSetting(let f, let p): return "coordinator settings: \(f) \(p)"
        }
    }
}
