/// One member's row of the final comparison.
public struct ComparisonMember: Codable, Sendable, Equatable {
    /// The member's name.
    public var name: String
    /// The seed it was trained from.
    public var seed: UInt64
    /// Its augmentation, as text.
    public var augmentation: String
    /// Validation accuracy (0...1), when a validation split was held out.
    public var validationAccuracy: Double?
    /// Test accuracy (0...1).
    public var testAccuracy: Double

    /// A member row.
    public init(name: String, seed: UInt64, augmentation: String, validationAccuracy: Double?, testAccuracy: Double) {
        self.name = name
        self.seed = seed
        self.augmentation = augmentation
        self.validationAccuracy = validationAccuracy
        self.testAccuracy = testAccuracy
    }

    enum CodingKeys: String, CodingKey {
        case name, seed, augmentation
        case validationAccuracy = "validation_accuracy"
        case testAccuracy = "test_accuracy"
    }
}
