/// Why a load test could not run.
public enum LoadTestError: Error, CustomStringConvertible, Equatable {
    /// A setting is out of range.
    case invalidSetting(field: String, problem: String)
    /// A job's test set does not have the rows `--result-rows` asked for.
    case rowsMismatch(jobId: String, expected: Int, found: Int)
    /// The simulated workers could not build a result for a job.
    case noResult(jobId: String, reason: String)

    /// A message naming the setting or job and what was expected.
    public var description: String {
        switch self {
        case let .invalidSetting(field, problem): return "load test: --\(field) \(problem)"
        case let .rowsMismatch(jobId, expected, found):
            return
                "load test: job \(jobId) has \(found) test images, not the \(expected) of --result-rows; "
                + "start the coordinator with --test-limit \(expected)"
        case let .noResult(jobId, reason): return "load test: no result can be built for job \(jobId): \(reason)"
        }
    }
}
