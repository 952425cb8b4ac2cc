/// The three parts of a data set: train on `train`, choose epochs and members on `validation`,
/// report on `test`.
public struct DataSplits: Sendable {
    /// The images the network learns from (the validation split is held out of it).
    public var train: Dataset
    /// A seeded random subset of the original training set, never trained on (may be empty).
    public var validation: Dataset
    /// The official test set.
    public var test: Dataset
    /// Image files left out as unreadable (`--skip-bad-files`), with reasons.
    public var skipped: [BadImageFile] = []

    /// The three splits.
    public init(train: Dataset, validation: Dataset, test: Dataset) {
        self.train = train
        self.validation = validation
        self.test = test
    }

    /// Splits cut to their first `train` and `test` images in order (nil keeps all); validation is kept.
    ///
    /// The first images are taken rather than a random subset so a limit gives the same images whatever
    /// the seed; Fashion-MNIST, MNIST and CIFAR-10 files are already in random order.
    public func limited(train: Int?, test: Int?) -> DataSplits {
        var cut = DataSplits(
            train: train.map { self.train.prefix($0) } ?? self.train,
            validation: validation,
            test: test.map { self.test.prefix($0) } ?? self.test)
        cut.skipped = skipped
        return cut
    }
}
