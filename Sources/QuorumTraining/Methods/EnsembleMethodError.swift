/// Why saved members cannot be scored on the data they were trained on (selection, stacking, distillation).
public enum EnsembleMethodError: Error, CustomStringConvertible, Equatable {
    /// A model file records no training settings (`quorum.training` is `{}` or unreadable).
    case noTrainingSettings(file: String, reason: String)
    /// Members were trained on different data or validation splits.
    case differentData(file: String, expected: String, found: String)
    /// The members held out no validation images.
    case noValidation(file: String)
    /// A setting of the method is out of range.
    case badSetting(name: String, expected: String, found: String)

    /// A message naming the file or setting and what was expected.
    public var description: String {
        switch self {
        case let .noTrainingSettings(file, reason):
            return "\(file): the model file records no usable training settings (quorum.training: \(reason)), "
                + "so the data it was trained on is not known"
        case let .differentData(file, expected, found):
            return "\(file): trained on other data or another validation split than the first member "
                + "(expected '\(expected)', found '\(found)')"
        case let .noValidation(file):
            return "\(file): its run held out no validation images (validation_size 0); selection, stacking and "
                + "the teacher's checks never use the test set instead"
        case let .badSetting(name, expected, found):
            return "\(name): expected \(expected), found \(found)"
        }
    }
}
