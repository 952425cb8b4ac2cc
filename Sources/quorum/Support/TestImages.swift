import ArgumentParser
import QuorumTraining
import QuorumData

/// The test images of a data set, checked against what a model or ensemble takes: the step `evaluate`
/// and `report` share before scoring anything.
enum TestImages {
    /// Loads the test split of `data` (no validation split, at most `limit` images) and checks that
    /// `subject` (a file or folder name, for messages) can score it.
    static func load(data: String, limit: Int?, inputShape: [Int], classes: Int, subject: String) throws -> Dataset {
        var config = TrainingConfig()
        config.data = data
        config.validationSize = 0
        config.testLimit = limit
        if (try? DataSpec(parsing: data))?.isImageFolder == true && inputShape.count == 3 {
            // An image folder's test images are made at the size and channels the subject takes (with the
            // default test share and split seed, as training made them unless told otherwise).
            config.imageSize = Array(inputShape.prefix(2))
            config.channels = inputShape[2]
        }
        let test = try PreparedData.load(for: config).test
        guard test.imageShape == inputShape else {
            throw ValidationError("\(subject) takes images of shape \(inputShape) but \(data) has \(test.imageShape)")
        }
        guard test.numClasses <= classes else {
            throw ValidationError(
                "\(subject) scores \(classes) classes but \(data) has labels up to \(test.numClasses - 1)")
        }
        return test
    }
}
