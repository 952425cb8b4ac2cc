/// Why a received member is not stored; the text names the job, the part of the RESULT and what was expected.
public struct MemberRejection: Error, CustomStringConvertible, Equatable {
    /// The job whose RESULT was checked.
    public var jobId: String
    /// What failed, e.g. "probabilities row 3 sums to 0.5; expected 1 ± 0.001".
    public var problem: String

    /// A rejection of `jobId`'s result.
    public init(_ jobId: String, _ problem: String) {
        self.jobId = jobId
        self.problem = problem
    }

    /// Human-readable text naming the job.
    public var description: String { "\(jobId): \(problem)" }
}
