import QuorumData

/// One input file read for voting: its images in the ensemble's shape, and labels when the file has them.
public struct InputBatch: Sendable {
    /// The file as given.
    public let file: String
    /// The format it was read as.
    public let format: InputFormat
    /// The images, converted to the ensemble's `[H, W, C]`.
    public let images: ImageArray
    /// One label per image when known (CIFAR, CSV, or IDX with a labels file).
    public let labels: [Int32]?
    /// The labels file that was used, for IDX inputs.
    public let labelsFile: String?

    /// A batch from its parts; `labels`, when given, has one entry per image.
    public init(file: String, format: InputFormat, images: ImageArray, labels: [Int32]?, labelsFile: String? = nil) {
        precondition(labels.map { $0.count == images.count } ?? true, "one label per image")
        self.file = file
        self.format = format
        self.images = images
        self.labels = labels
        self.labelsFile = labelsFile
    }
}
