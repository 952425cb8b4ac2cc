import ArgumentParser
import Foundation
import QuorumCore
import QuorumData
import QuorumEnsemble
import QuorumTraining

/// Which images a training command reads: the data set, the validation split and the subsets taken from it.
/// Shared by every command that trains.
struct DataOptions: ParsableArguments {
    @Option(
        help: """
            Data set: 'fashion-mnist', a folder of MNIST-style IDX files or CIFAR-10 binaries, a folder of class \
            folders of JPEG, PNG or PGM images (CLASS/*, or train/CLASS/* and test/CLASS/*), or \
            'train=IMAGES:LABELS,test=IMAGES:LABELS'.
            """)
    var data: String = "fashion-mnist"

    @Option(
        help: """
            Training images held out for validation, a seeded split (default: 10 % of the training set, at most \
            5000, at least one per class; per class for image folders).
            """)
    var validationSize: Int?

    @Option(help: "Image folders: resize every image to H,W, e.g. 64,64 (default: the most common size).")
    var imageSize: String?

    @Option(help: "Image folders: 1 (grey) or 3 (colour) channels (default: 3 when any file is in colour).")
    var channels: Int?

    @Option(
        help: """
            Image folders without train/ and test/: the share of each class held out as the test set (default: 0.2).
            """)
    var testShare: Double?

    @Flag(help: "Image folders: train on the readable files and list the unreadable ones, rather than refuse.")
    var skipBadFiles = false

    @Option(help: "Train on the first N training images only (quick runs).")
    var trainLimit: Int?

    @Option(help: "Test on the first N test images only.")
    var testLimit: Int?

    @Option(help: "Keep only these classes, relabelled 0, 1, … in this order, e.g. '5,6,7,8,9'.")
    var classes: String?

    @Option(help: "Train on the first N images of each class only (after --classes).")
    var perClassLimit: Int?

    @Option(
        help: """
            Make the training set imbalanced for experiments: 'CLASS=FRACTION,...' keeps that share of each class \
            named.
            """)
    var imbalance: String?

    /// Writes these flags into `config`; throws a `ValidationError` for a malformed --classes or --image-size.
    /// An image folder's size and channels are found from its files here, and a missing --validation-size is
    /// computed from the training set, so every worker gets the same explicit values.
    func apply(to config: inout TrainingConfig) throws {
        config.data = data
        let spec = try? DataSpec(parsing: data)
        if let spec, spec.isImageFolder {
            config.imageSize = try imageSize.map { try Self.imageSizeList($0) }
            config.channels = channels
            config.testShare = testShare
            config.skipBadFiles = skipBadFiles ? true : nil
            if config.imageSize == nil || channels == nil {
                var options = config.imageFolderOptions
                options.progress = DecodeProgress.terminal("surveying images", quiet: false)
                let settings = try options.settings(for: options.scan(data))
                config.imageSize = [settings.height, settings.width]
                config.channels = settings.channels
            }
        } else if imageSize != nil || channels != nil || testShare != nil || skipBadFiles {
            throw ValidationError(
                "--image-size, --channels, --test-share and --skip-bad-files apply to image folders only")
        }
        // Counting an image folder's training set makes its decoded cache, the long step of a first run.
        var images = config.imageFolderOptions
        images.progress = DecodeProgress.terminal("decoding images", quiet: false)
        if let validationSize {
            config.validationSize = validationSize
        } else if let spec, let size = try? DataSource.defaultValidationSize(spec, images: images) {
            config.validationSize = size
            Terminal.log(
                "validation split: \(size) images (default: 10 % of the training set, at most 5000, "
                    + "at least one per class)")
        }
        config.trainLimit = trainLimit
        config.testLimit = testLimit
        config.classes = try classes.map(Self.classList)
        config.perClassLimit = perClassLimit
        config.imbalance = imbalance
    }

    /// Parses `64,48` into `[height, width]`.
    static func imageSizeList(_ text: String, flag: String = "--image-size") throws -> [Int] {
        let sides = text.split(separator: ",", omittingEmptySubsequences: false).map {
            Int($0.trimmingCharacters(in: .whitespaces))
        }
        guard sides.count == 2, let h = sides[0], let w = sides[1], h > 0, w > 0 else {
            throw ValidationError("\(flag) must be HEIGHT,WIDTH such as 64,64, got '\(text)'")
        }
        return [h, w]
    }

    /// Parses `5,6,7` into class labels.
    static func classList(_ text: String) throws -> [Int] {
        let items = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let labels = items.compactMap { Int($0) }
        guard !items.isEmpty, labels.count == items.count, labels.allSatisfy({ $0 >= 0 }) else {
            throw ValidationError(
                "--classes must be a comma-separated list of class labels such as 5,6,7,8,9, got '\(text)'")
        }
        return labels
    }
}
