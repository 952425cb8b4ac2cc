import Foundation
import QuorumCore
import QuorumData

/// Knowledge distillation (Hinton et al. 2015): the student's loss mixes the cross-entropy with a teacher's
/// softened probabilities and the ordinary loss on the true labels,
/// `alpha · T² · CE(softmax(z/T), softmax(log p/T)) + (1 − alpha) · CE(softmax(z), y)`.
///
/// The teacher's probabilities for every training image (after the validation split and limits) are a file
/// the config names, like `init_from`: a safetensors file with one `probabilities` tensor `[N, classes]` and
/// the metadata `images_sha256`, the SHA-256 of the training images it scored (`Dataset.contentHash`), which
/// must match the images the student trains on.
public struct DistillationSettings: Codable, Equatable, Sendable {
    /// The teacher's probabilities file (absolute, so workers started elsewhere read the same file).
    public var teacher: String
    /// The temperature T that softens both distributions (> 0; 1 leaves them as they are).
    public var temperature: Float
    /// The share of the loss given to the teacher, in [0, 1].
    public var alpha: Float

    /// Settings from their parts.
    public init(teacher: String, temperature: Float = 4, alpha: Float = 0.9) {
        self.teacher = teacher
        self.temperature = temperature
        self.alpha = alpha
    }

    /// Throws `TrainingError.badConfig` naming the first field out of range.
    public func validate() throws {
        func bad(_ field: String, _ why: String) -> TrainingError {
            .badConfig(field: "distillation." + field, reason: why)
        }
        guard !teacher.isEmpty else { throw bad("teacher", "must name a file") }
        guard temperature.isFinite, temperature > 0, temperature <= 100 else {
            throw bad("temperature", "must be in (0, 100], got \(temperature)")
        }
        guard alpha.isFinite, (0...1).contains(alpha) else { throw bad("alpha", "must be in [0, 1], got \(alpha)") }
    }

    /// The teacher file's metadata key for the scored images' hash.
    public static let imagesKey = "images_sha256"

    /// Writes a teacher file for `probabilities` (`[count, classes]`) of `images`.
    public static func writeTeacher(_ probabilities: [Float], classes: Int, of images: Dataset, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try SafeTensors(
            metadata: [imagesKey: images.contentHash()],
            entries: [.init(name: "probabilities", shape: [images.count, classes], values: probabilities)]
        ).write(to: url.path)
    }

    /// The teacher's probabilities softened at the temperature, `[train.count × classes]`, after checking that
    /// the file scored exactly `train` with `classes` classes and holds probabilities.
    func softTargets(for train: Dataset, classes: Int) throws -> [Float] {
        func bad(_ why: String) -> TrainingError {
            .badConfig(field: "distillation.teacher", reason: "\(teacher): \(why)")
        }
        let file: SafeTensors
        do { file = try SafeTensors.read(path: teacher) } catch { throw bad("\(error)") }
        guard let rows = file["probabilities"] else { throw bad("holds no 'probabilities' tensor") }
        guard rows.shape == [train.count, classes] else {
            throw bad("'probabilities' is \(rows.shape); the training images need [\(train.count), \(classes)]")
        }
        guard file.metadata[Self.imagesKey] == train.contentHash() else {
            throw bad("scored other training images (\(Self.imagesKey) differs): make it for this data and split")
        }
        if let i = rows.values.firstIndex(where: { !($0 >= 0 && $0 <= 1) }) {
            throw bad("value \(rows.values[i]) at row \(i / classes) is not a probability")
        }
        var soft = [Float](repeating: 0, count: rows.values.count)
        let inverse = 1 / Double(temperature)
        for r in 0..<train.count {
            var sum = 0.0
            var row = [Double](repeating: 0, count: classes)
            for j in 0..<classes {
                row[j] = pow(max(Double(rows.values[r * classes + j]), 1e-30), inverse)
                sum += row[j]
            }
            for j in 0..<classes { soft[r * classes + j] = Float(row[j] / sum) }
        }
        return soft
    }

    /// Mixes the teacher term into a batch whose ordinary loss is `hardLoss` with gradient `gradient` (mean over
    /// the batch, `[n, classes]`, updated in place); `targets` holds the softened teacher rows of the batch's
    /// images in batch order. Returns the mixed loss.
    func blend(logits: Tensor, hardLoss: Float, gradient: Tensor, targets: [Float], classes c: Int) -> Float {
        let n = logits.batch, t = temperature
        var soft = 0.0
        var s = [Float](repeating: 0, count: c)
        for r in 0..<n {
            let z = logits.data + r * c, g = gradient.data + r * c
            var top = z[0] / t
            for j in 1..<c where z[j] / t > top { top = z[j] / t }
            var sum: Float = 0
            for j in 0..<c {
                s[j] = expf(z[j] / t - top)
                sum += s[j]
            }
            for j in 0..<c {
                s[j] /= sum
                let q = targets[r * c + j]
                if q > 0 { soft -= Double(q) * log(Double(max(s[j], 1e-30))) }
                // d(T² · CE(softmax(z/T), q))/dz = T · (softmax(z/T) − q), averaged over the batch.
                g[j] = (1 - alpha) * g[j] + alpha * t * (s[j] - q) / Float(n)
            }
        }
        return (1 - alpha) * hardLoss + alpha * Float(soft * Double(t * t) / Double(max(n, 1)))
    }
}
