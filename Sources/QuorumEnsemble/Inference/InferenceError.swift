/// Why an ensemble could not be loaded for inference or an input could not be answered. Messages name the file.
public enum InferenceError: Error, CustomStringConvertible, Equatable {
    /// A member's model file disagrees with the manifest or with the first member.
    case memberMismatch(file: String, field: String, expected: String, found: String)
    /// An input's images do not have the shape the members take.
    case shapeMismatch(file: String, expected: [Int], found: [Int])
    /// An input file is not in any format `quorum vote` reads.
    case unknownFormat(file: String)
    /// An input's labels do not fit its images or the ensemble's classes.
    case badLabels(file: String, reason: String)
    /// An input folder holds no JPEG, PNG or PGM file.
    case emptyFolder(folder: String)

    /// A message naming the file, the field and what was expected.
    public var description: String {
        switch self {
        case let .memberMismatch(file, field, expected, found):
            return "\(file): \(field): expected \(expected) (as the ensemble), found \(found)"
        case let .shapeMismatch(file, expected, found):
            return "\(file): images of shape \(shape(found)), the ensemble takes \(shape(expected)) (H×W×C)"
        case let .unknownFormat(file):
            return
                "\(file): unknown input format; expected IDX (.gz or raw), a CIFAR-10 binary batch, PGM (P2/P5), "
                + "PNG, JPEG or CSV"
        case let .badLabels(file, reason):
            return "\(file): labels: \(reason)"
        case let .emptyFolder(folder):
            return "\(folder): no .jpg, .jpeg, .png or .pgm file in the folder or its sub-folders"
        }
    }

    private func shape(_ s: [Int]) -> String { s.map(String.init).joined(separator: "×") }
}
