/// One member of an ensemble on disk: its model file and how it was trained.
public struct ManifestMember: Codable, Sendable, Equatable {
    /// The member's name, as shown in tables.
    public var name: String
    /// The model file's name inside the ensemble folder (a plain name, no directories).
    public var file: String
    /// The seed the member was trained from.
    public var seed: UInt64
    /// The augmentation it was trained with, as text (e.g. `crop+flip`; `none` for none).
    public var augmentation: String
    /// Accuracy on the validation split (0...1), when one was held out.
    public var validationAccuracy: Double?
    /// Accuracy on the test set (0...1), when it was measured.
    public var testAccuracy: Double?
    /// Weight in the weighted vote (non-negative).
    public var weight: Float
    /// The member's own sample of the training set (`bootstrap`, `subsample=F`); nil: every image.
    public var sample: String?
    /// The job a snapshot member came from (one job yields several snapshots); nil for a member of its own.
    public var parentJob: String?
    /// The snapshot's cycle in its parent job, from 1; nil for a member of its own.
    public var cycle: Int?

    /// A member entry; `weight` defaults to 1.
    public init(
        name: String, file: String, seed: UInt64, augmentation: String,
        validationAccuracy: Double? = nil, testAccuracy: Double? = nil, weight: Float = 1,
        sample: String? = nil, parentJob: String? = nil, cycle: Int? = nil
    ) {
        self.sample = sample
        self.parentJob = parentJob
        self.cycle = cycle
        self.name = name
        self.file = file
        self.seed = seed
        self.augmentation = augmentation
        self.validationAccuracy = validationAccuracy
        self.testAccuracy = testAccuracy
        self.weight = weight
    }

    enum CodingKeys: String, CodingKey {
        case name, file, seed, augmentation, weight, sample, cycle
        case parentJob = "parent_job"
        case validationAccuracy = "validation_accuracy"
        case testAccuracy = "test_accuracy"
    }
}
