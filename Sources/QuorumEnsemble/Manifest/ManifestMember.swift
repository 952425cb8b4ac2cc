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

    /// A member entry; `weight` defaults to 1.
    public init(
        name: String, file: String, seed: UInt64, augmentation: String,
        validationAccuracy: Double? = nil, testAccuracy: Double? = nil, weight: Float = 1
    ) {
        self.name = name
        self.file = file
        self.seed = seed
        self.augmentation = augmentation
        self.validationAccuracy = validationAccuracy
        self.testAccuracy = testAccuracy
        self.weight = weight
    }

    enum CodingKeys: String, CodingKey {
        case name, file, seed, augmentation, weight
        case validationAccuracy = "validation_accuracy"
        case testAccuracy = "test_accuracy"
    }
}
